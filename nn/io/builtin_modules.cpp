// One file for the whole table: every built-in module type's settings side by side, so a type left out shows.
#include "nn/io/builtin_modules.hpp"

#include <sstream>
#include <type_traits>

#include "nn/activation.hpp"
#include "nn/batchnorm.hpp"
#include "nn/conv.hpp"
#include "nn/dropout.hpp"
#include "nn/embedding.hpp"
#include "nn/flatten.hpp"
#include "nn/gru.hpp"
#include "nn/layernorm.hpp"
#include "nn/linear.hpp"
#include "nn/lstm.hpp"
#include "nn/mdlstm.hpp"
#include "nn/network.hpp"
#include "nn/pool.hpp"
#include "nn/rnn.hpp"
#include "nn/sequential.hpp"

namespace tg::nn::detail {
namespace {

// Rebuilt layers draw their initial weights from here, so loading a model leaves the default
// generator as it was; the file's weights replace the draws.
Generator& scratch_generator() {
  thread_local Generator generator(0);
  return generator;
}

std::vector<double> pair(Size2d size) { return {double(size.h), double(size.w)}; }

Size2d size2d(const ModuleConfig& config, const std::string& key) {
  const auto values = config.counts(key);
  if (values.size() != 2) throw Error("module setting '" + key + "' must hold 2 sizes (height, width)");
  return {values[0], values[1]};
}

// The recurrent layers draw their initial weights from the default generator; a load puts its
// state back, so that loading a model changes no later draw.
class KeepDefaultGenerator {
 public:
  KeepDefaultGenerator() : state_(default_generator().state()) {}
  ~KeepDefaultGenerator() { default_generator().set_state(state_); }
  KeepDefaultGenerator(const KeepDefaultGenerator&) = delete;
  KeepDefaultGenerator& operator=(const KeepDefaultGenerator&) = delete;

 private:
  std::string state_;
};

template <class M>
using Settings = std::function<ModuleConfig(const M&)>;
template <class M>
using Maker = std::function<std::shared_ptr<M>(const ModuleConfig&)>;
template <class T>
using Table = std::map<std::string, BasicModuleFactory<T>>;

template <class M>
void add(Table<typename M::value_type>& table, const std::string& type, Settings<M> config, Maker<M> build) {
  table[type] = make_module_factory<M>(type, std::move(config), std::move(build));
}

template <class M>
void add_plain(Table<typename M::value_type>& table, const std::string& type) {
  add<M>(table, type, [](const M&) { return ModuleConfig(); }, [](const ModuleConfig&) { return std::make_shared<M>(); });
}

template <class T>
void add_layers(Table<T>& table) {
  using Linear = BasicLinear<T>;
  using Conv2d = BasicConv2d<T>;
  using MaxPool2d = BasicMaxPool2d<T>;
  using AvgPool2d = BasicAvgPool2d<T>;
  using BatchNorm = BasicBatchNorm<T>;
  using BatchNorm1d = BasicBatchNorm1d<T>;
  using BatchNorm2d = BasicBatchNorm2d<T>;
  using LayerNorm = BasicLayerNorm<T>;
  using Dropout = BasicDropout<T>;
  using Embedding = BasicEmbedding<T>;
  add<Linear>(
      table, "Linear",
      [](const Linear& m) {
        return ModuleConfig()
            .set_number("in_features", double(m.in_features()))
            .set_number("out_features", double(m.out_features()))
            .set_flag("bias", m.bias.defined());
      },
      [](const ModuleConfig& c) {
        return std::make_shared<Linear>(c.count("in_features"), c.count("out_features"), c.flag("bias"),
                                        scratch_generator());
      });
  add<Conv2d>(
      table, "Conv2d",
      [](const Conv2d& m) {
        return ModuleConfig()
            .set_number("in_channels", double(m.in_channels()))
            .set_number("out_channels", double(m.out_channels()))
            .set_numbers("kernel", pair(m.kernel()))
            .set_numbers("stride", pair(m.options().stride))
            .set_numbers("padding", pair(m.options().padding))
            .set_numbers("dilation", pair(m.options().dilation))
            .set_flag("bias", m.options().bias);
      },
      [](const ModuleConfig& c) {
        return std::make_shared<Conv2d>(c.count("in_channels"), c.count("out_channels"), size2d(c, "kernel"),
                                        Conv2dOptions{.stride = size2d(c, "stride"), .padding = size2d(c, "padding"),
                                                      .dilation = size2d(c, "dilation"), .bias = c.flag("bias")},
                                        scratch_generator());
      });
  const auto pool_config = [](const Pool2dOptions& o) {
    return ModuleConfig()
        .set_numbers("kernel", pair(o.kernel))
        .set_numbers("stride", pair(o.stride))
        .set_numbers("padding", pair(o.padding));
  };
  add<MaxPool2d>(
      table, "MaxPool2d", [pool_config](const MaxPool2d& m) { return pool_config(m.options()); },
      [](const ModuleConfig& c) {
        return std::make_shared<MaxPool2d>(size2d(c, "kernel"), size2d(c, "stride"), size2d(c, "padding"));
      });
  add<AvgPool2d>(
      table, "AvgPool2d", [pool_config](const AvgPool2d& m) { return pool_config(m.options()); },
      [](const ModuleConfig& c) {
        return std::make_shared<AvgPool2d>(size2d(c, "kernel"), size2d(c, "stride"), size2d(c, "padding"));
      });
  const auto norm_config = [](const BatchNorm& m) {
    return ModuleConfig()
        .set_number("num_features", double(m.num_features()))
        .set_number("eps", m.options().eps)
        .set_number("momentum", m.options().momentum)
        .set_flag("affine", m.options().affine);
  };
  const auto norm_options = [](const ModuleConfig& c) {
    return BatchNormOptions{.eps = c.number("eps"), .momentum = c.number("momentum"), .affine = c.flag("affine")};
  };
  add<BatchNorm1d>(
      table, "BatchNorm1d", norm_config,
      [norm_options](const ModuleConfig& c) { return std::make_shared<BatchNorm1d>(c.count("num_features"), norm_options(c)); });
  add<BatchNorm2d>(
      table, "BatchNorm2d", norm_config,
      [norm_options](const ModuleConfig& c) { return std::make_shared<BatchNorm2d>(c.count("num_features"), norm_options(c)); });
  add<LayerNorm>(
      table, "LayerNorm",
      [](const LayerNorm& m) {
        return ModuleConfig()
            .set_counts("normalized_shape", m.normalized_shape())
            .set_number("eps", m.options().eps)
            .set_flag("elementwise_affine", m.options().elementwise_affine);
      },
      [](const ModuleConfig& c) {
        const auto shape = c.counts("normalized_shape");
        return std::make_shared<LayerNorm>(
            Shape(shape.begin(), shape.end()),
            LayerNormOptions{.eps = c.number("eps"), .elementwise_affine = c.flag("elementwise_affine")});
      });
  // Seeded so that building draws nothing from the default generator; the file's extra state
  // then gives the mask generator the state it was saved with.
  add<Dropout>(
      table, "Dropout", [](const Dropout& m) { return ModuleConfig().set_number("p", m.p()); },
      [](const ModuleConfig& c) { return std::make_shared<Dropout>(c.number("p"), 0); });
  add<Embedding>(
      table, "Embedding",
      [](const Embedding& m) {
        return ModuleConfig()
            .set_number("num_embeddings", double(m.num_embeddings()))
            .set_number("embedding_dim", double(m.embedding_dim()));
      },
      [](const ModuleConfig& c) {
        return std::make_shared<Embedding>(c.count("num_embeddings"), c.count("embedding_dim"), scratch_generator());
      });
}

template <class M>
std::shared_ptr<M> make_recurrent(const ModuleConfig& c) {
  const KeepDefaultGenerator keep;
  return std::make_shared<M>(c.count("input_size"), c.count("hidden_size"),
                             RNNOptions{.num_layers = c.count("num_layers"), .bias = c.flag("bias"),
                                        .batch_first = c.flag("batch_first"), .dropout = c.number("dropout"),
                                        .bidirectional = c.flag("bidirectional"), .nonlinearity = c.text("nonlinearity")});
}

// RNN, LSTM and GRU: their sizes and RNNOptions. The dropout generator's state is their extra
// state, which the file restores.
template <class T>
void add_recurrent(Table<T>& table) {
  const auto config = [](const BasicRecurrent<T>& m) {
    const RNNOptions& o = m.options();
    return ModuleConfig()
        .set_number("input_size", double(m.input_size()))
        .set_number("hidden_size", double(m.hidden_size()))
        .set_number("num_layers", double(o.num_layers))
        .set_flag("bias", o.bias)
        .set_flag("batch_first", o.batch_first)
        .set_number("dropout", o.dropout)
        .set_flag("bidirectional", o.bidirectional)
        .set_text("nonlinearity", o.nonlinearity);
  };
  add<BasicRNN<T>>(table, "RNN", config, make_recurrent<BasicRNN<T>>);
  add<BasicLSTM<T>>(table, "LSTM", config, make_recurrent<BasicLSTM<T>>);
  add<BasicGRU<T>>(table, "GRU", config, make_recurrent<BasicGRU<T>>);
  using MDLSTM = BasicMDLSTM<T>;
  add<MDLSTM>(
      table, "MDLSTM",
      [](const MDLSTM& m) {
        return ModuleConfig()
            .set_number("input_size", double(m.input_size()))
            .set_number("hidden_size", double(m.hidden_size()))
            .set_flag("bias", m.bias_ih.defined());
      },
      [](const ModuleConfig& c) {
        const KeepDefaultGenerator keep;
        return std::make_shared<MDLSTM>(c.count("input_size"), c.count("hidden_size"), c.flag("bias"));
      });
}

template <class T>
void add_activations(Table<T>& table) {
  using LeakyReLU = BasicLeakyReLU<T>;
  using Softmax = BasicSoftmax<T>;
  using LogSoftmax = BasicLogSoftmax<T>;
  add_plain<BasicFlatten<T>>(table, "Flatten");
  add_plain<BasicSigmoid<T>>(table, "Sigmoid");
  add_plain<BasicTanh<T>>(table, "Tanh");
  add_plain<BasicReLU<T>>(table, "ReLU");
  add_plain<BasicGELU<T>>(table, "GELU");
  add_plain<BasicGaussian<T>>(table, "Gaussian");
  add<LeakyReLU>(
      table, "LeakyReLU", [](const LeakyReLU& m) { return ModuleConfig().set_number("slope", m.slope()); },
      [](const ModuleConfig& c) { return std::make_shared<LeakyReLU>(static_cast<T>(c.number("slope"))); });
  add<Softmax>(
      table, "Softmax", [](const Softmax& m) { return ModuleConfig().set_number("axis", m.axis()); },
      [](const ModuleConfig& c) { return std::make_shared<Softmax>(static_cast<int>(c.number("axis"))); });
  add<LogSoftmax>(
      table, "LogSoftmax", [](const LogSoftmax& m) { return ModuleConfig().set_number("axis", m.axis()); },
      [](const ModuleConfig& c) { return std::make_shared<LogSoftmax>(static_cast<int>(c.number("axis"))); });
}

// A network's recurrent connections added after building: "out->hidden0 hidden0->hidden1".
std::string recurrent_connections(const Network& m) {
  std::string text;
  for (const auto& [from, to] : m.added_recurrent_connections()) text += (text.empty() ? "" : " ") + from + "->" + to;
  return text;
}

void add_networks(Table<float>& table) {
  add<Network>(
      table, "Network",
      [](const Network& m) {
        return ModuleConfig()
            .set_counts("sizes", m.sizes())
            .set_text("hidden", layer_kind_name(m.options().hidden))
            .set_text("out", layer_kind_name(m.options().out))
            .set_flag("bias", m.options().bias)
            .set_flag("recurrent", m.options().recurrent)
            .set_text("recurrent_connections", recurrent_connections(m));
      },
      [](const ModuleConfig& c) {
        auto net = std::make_shared<Network>(c.counts("sizes"),
                                             NetworkOptions{.hidden = layer_kind_from_name(c.text("hidden")),
                                                            .out = layer_kind_from_name(c.text("out")),
                                                            .bias = c.flag("bias"),
                                                            .recurrent = c.flag("recurrent")},
                                             scratch_generator());
        std::istringstream connections(c.text("recurrent_connections"));
        for (std::string text; connections >> text;) {
          const auto arrow = text.find("->");
          if (arrow == std::string::npos) throw Error("module setting 'recurrent_connections' holds '" + text + "', not from->to");
          net->add_recurrent_connection(text.substr(0, arrow), text.substr(arrow + 2), scratch_generator());
        }
        return net;
      });
  for (const LayerKind kind :
       {LayerKind::Linear, LayerKind::Sigmoid, LayerKind::Tanh, LayerKind::Softmax, LayerKind::Gaussian, LayerKind::LSTM})
    add<NetworkLayer>(
        table, layer_kind_name(kind) + "Layer",
        [](const NetworkLayer& m) {
          return ModuleConfig().set_number("size", double(m.size())).set_text("layer_name", m.layer_name());
        },
        [kind](const ModuleConfig& c) { return std::make_shared<NetworkLayer>(kind, c.count("size"), c.text("layer_name")); });
  add<BiasUnit>(
      table, "BiasUnit", [](const BiasUnit& m) { return ModuleConfig().set_text("layer_name", m.layer_name()); },
      [](const ModuleConfig& c) { return std::make_shared<BiasUnit>(c.text("layer_name")); });
}

}  // namespace

template <class T>
Table<T> builtin_module_factories() {
  using ModuleT = BasicModule<T>;
  Table<T> table;
  table["Sequential"] = {
      .config = [](const ModuleT&) { return ModuleConfig(); },
      .build = [](const ModuleConfig&, const std::vector<typename ModuleT::NamedModule>& children) -> std::shared_ptr<ModuleT> {
        auto sequential = std::make_shared<BasicSequential<T>>();
        for (const auto& [name, child] : children) sequential->push_back(child);
        return sequential;
      },
      .container = true};
  add_layers(table);
  add_recurrent(table);
  add_activations(table);
  if constexpr (std::is_same_v<T, float>) add_networks(table);
  return table;
}

template Table<float> builtin_module_factories();
template Table<double> builtin_module_factories();

}  // namespace tg::nn::detail
