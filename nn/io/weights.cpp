#include "nn/io/weights.hpp"

#include "nn/io/model_file.hpp"

namespace tg::nn {

template <class T>
void save_weights(const std::string& path, const BasicModule<T>& model) {
  const detail::Source source{"save_weights", path};
  Safetensors file;
  try {
    file = detail::weights_file(model, detail::weights_format);
  } catch (const Error& e) {
    source.fail(e.what());
  }
  write_safetensors(path, file, source.op);
}

template <class T>
void load_weights(const std::string& path, BasicModule<T>& model) {
  const detail::Source source{"load_weights", path};
  const Safetensors file = read_safetensors(path, source.op);
  const auto format = file.metadata.find("format");
  const bool checkpoint = format != file.metadata.end() && format->second == detail::checkpoint_format;
  const BasicStateDict<T> state = detail::model_tensors<T>(file, checkpoint, source);
  try {
    model.load_state_dict(state);
  } catch (const Error& e) {
    source.fail(e.what());
  }
}

template void save_weights(const std::string&, const BasicModule<float>&);
template void save_weights(const std::string&, const BasicModule<double>&);
template void load_weights(const std::string&, BasicModule<float>&);
template void load_weights(const std::string&, BasicModule<double>&);

}  // namespace tg::nn
