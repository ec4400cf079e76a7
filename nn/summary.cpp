// Module::summary: the Keras-like layer table.
#include <algorithm>

#include "autograd/factory.hpp"
#include "autograd/grad_mode.hpp"
#include "nn/module.hpp"

namespace tg::nn {
namespace {

struct Row {
  std::string layer;   // "fc1 (Linear)"
  std::string output;  // "(None, 100)" or "Linear(784 -> 100)"
  std::size_t params;
};

template <class T>
std::size_t element_count(const std::vector<BasicTensor<T>>& tensors) {
  std::size_t n = 0;
  for (const auto& t : tensors) n += t.size();
  return n;
}

// Parameters and buffers: buffers count as non-trainable parameters, as in Keras.
template <class T>
std::size_t state_count(const BasicModule<T>& m) { return element_count(m.parameters()) + element_count(m.buffers()); }

std::string with_thousands(std::size_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// "(None, 100)": the probe's batch axis of one is any batch size.
std::string batch_shape_str(const Shape& shape) {
  std::string s = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + (i ? std::to_string(shape[i]) : "None");
  return s + ")";
}

// One output's shape, or "[(None, 3), (None, 1)]" for several.
std::string batch_shapes_str(const std::vector<Shape>& shapes) {
  if (shapes.size() == 1) return batch_shape_str(shapes[0]);
  std::string s = "[";
  for (std::size_t i = 0; i < shapes.size(); ++i) s += (i ? ", " : "") + batch_shape_str(shapes[i]);
  return s + "]";
}

std::string pad(const std::string& s, std::size_t width) {
  return s.size() >= width ? s + " " : s + std::string(width - s.size(), ' ');
}

// Rows for the direct submodules, after a row for the module's own state if it has any (or no
// submodules at all). `output` says what goes in the second column for one module.
template <class T, class Output>
std::vector<Row> rows_of(const BasicModule<T>& root, Output output) {
  std::vector<Row> rows;
  const std::size_t own = element_count(root.parameters(false)) + element_count(root.buffers(false));
  const auto children = root.named_children();
  if (children.empty() || own) rows.push_back({children.empty() ? root.name() : "(own) (" + root.name() + ")",
                                                output(root), own});
  for (const auto& [name, child] : children) rows.push_back({name + " (" + child->name() + ")", output(*child),
                                                            state_count(*child)});
  return rows;
}

template <class T>
std::string table(const BasicModule<T>& root, const std::string& output_header, const std::vector<Row>& rows) {
  std::size_t w1 = std::string("Layer (type)").size(), w2 = output_header.size(), w3 = std::string("Param #").size();
  for (const auto& row : rows) {
    w1 = std::max(w1, row.layer.size());
    w2 = std::max(w2, row.output.size());
    w3 = std::max(w3, std::to_string(row.params).size());
  }
  w1 += 3;
  w2 += 3;
  const std::size_t width = w1 + w2 + w3;
  const std::size_t total = state_count(root);
  const std::size_t trainable = root.trainable_parameter_count();

  std::string s = "Model: " + root.describe() + "\n" + std::string(width, '_') + "\n";
  s += pad("Layer (type)", w1) + pad(output_header, w2) + "Param #\n" + std::string(width, '=') + "\n";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    s += pad(rows[i].layer, w1) + pad(rows[i].output, w2) + std::to_string(rows[i].params) + "\n";
    s += std::string(width, i + 1 < rows.size() ? '_' : '=') + "\n";
  }
  if (rows.empty()) s += std::string(width, '=') + "\n";
  s += "Total params: " + with_thousands(total) + "\n";
  s += "Trainable params: " + with_thousands(trainable) + "\n";
  s += "Non-trainable params: " + with_thousands(total - trainable) + "\n";
  return s + std::string(width, '_') + "\n";
}

// Puts the probe back, however the probe run ends.
class ProbeScope {
 public:
  explicit ProbeScope(std::map<const void*, std::vector<Shape>>& shapes) : previous_(detail::output_shape_probe()) {
    detail::output_shape_probe() = &shapes;
  }
  ~ProbeScope() { detail::output_shape_probe() = previous_; }
  ProbeScope(const ProbeScope&) = delete;
  ProbeScope& operator=(const ProbeScope&) = delete;

 private:
  std::map<const void*, std::vector<Shape>>* previous_;
};

}  // namespace

template <class T>
std::string BasicModule<T>::summary() const {
  return table(*this, "Description", rows_of(*this, [](const BasicModule& m) { return m.describe(); }));
}

template <class T>
std::string BasicModule<T>::summary(const Shape& sample_shape) {
  return probed_summary({sample_shape});
}

template <class T>
std::string BasicModule<T>::summary(std::initializer_list<Shape> sample_shapes) {
  return probed_summary(sample_shapes);
}

template <class T>
std::string BasicModule<T>::probed_summary(const std::vector<Shape>& sample_shapes) {
  std::map<const void*, std::vector<Shape>> shapes;
  {
    TrainingModeGuard<T> modes(*this);
    eval();
    ProbeScope scope(shapes);
    NoGradGuard no_grad;
    Tensors probes;
    for (const Shape& sample : sample_shapes) {
      Shape batch{1};
      batch.insert(batch.end(), sample.begin(), sample.end());
      probes.push_back(zeros<T>(batch));
    }
    (*this)(probes);
  }
  return table(*this, "Output Shape", rows_of(*this, [&shapes](const BasicModule& m) {
                 const auto it = shapes.find(&m);
                 return it == shapes.end() ? std::string("(not called)") : batch_shapes_str(it->second);
               }));
}

template std::string BasicModule<float>::summary() const;
template std::string BasicModule<double>::summary() const;
template std::string BasicModule<float>::summary(const Shape&);
template std::string BasicModule<double>::summary(const Shape&);
template std::string BasicModule<float>::summary(std::initializer_list<Shape>);
template std::string BasicModule<double>::summary(std::initializer_list<Shape>);
template std::string BasicModule<float>::probed_summary(const std::vector<Shape>&);
template std::string BasicModule<double>::probed_summary(const std::vector<Shape>&);

}  // namespace tg::nn
