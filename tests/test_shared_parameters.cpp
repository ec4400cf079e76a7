// Parameters counted by identity: tied weights, a module registered twice, frozen submodules.
#include <boost/test/unit_test.hpp>

#include <memory>
#include <string>
#include <vector>

#include "tapegrad.hpp"

namespace {

namespace nn = tg::nn;
namespace optim = tg::optim;

}  // namespace

BOOST_AUTO_TEST_SUITE(parameters_by_identity)

// An encoder and a decoder whose weights are tied the PyTorch way, by assigning the field.
struct Tied : nn::Module {
  std::shared_ptr<nn::Linear> encoder = register_module("encoder", nn::Linear(3, 3, false));
  std::shared_ptr<nn::Linear> decoder = register_module("decoder", nn::Linear(3, 3, false));
  Tied() { decoder->weight = encoder->weight; }
  Tensor forward(const Tensor& x) override { return (*decoder)(tg::tanh((*encoder)(x))); }
};

BOOST_AUTO_TEST_CASE(assigning_a_weight_ties_it_for_the_optimizer_and_the_state_dict) {
  nn::manual_seed(2);
  Tied model;
  BOOST_TEST(model.parameters().size() == 1u);
  BOOST_TEST(model.parameters()[0].is_same(model.encoder->weight));
  BOOST_TEST(model.parameter_count() == 9u);
  BOOST_TEST(model.state_dict().keys() == std::vector<std::string>{"encoder.weight"}, boost::test_tools::per_element());

  // The optimizer trains the one live tensor, and the state dict saves what it trained.
  optim::SGD sgd(model.parameters(), {.lr = 0.1});
  const xt::xarray<float> before = model.encoder->weight.value();
  tg::Generator gen(1);
  const auto loss = tg::sum(tg::square(model(tg::randn<float>({4, 3}, gen))));
  sgd.zero_grad();
  loss.backward();
  sgd.step();
  BOOST_TEST(model.decoder->weight.is_same(model.encoder->weight));
  BOOST_TEST(!(model.encoder->weight.value() == before));
  BOOST_TEST(model.state_dict().at("encoder.weight") == model.decoder->weight.value());

  // A tied model loads its own state dict, and a fresh one gets the trained weight in both places.
  Tied fresh;
  fresh.load_state_dict(model.state_dict());
  BOOST_TEST(fresh.decoder->weight.value() == model.encoder->weight.value());
}

BOOST_AUTO_TEST_CASE(a_module_registered_twice_is_counted_once) {
  struct Twice : nn::Module {
    std::shared_ptr<nn::Linear> shared = register_module("first", nn::Linear(2, 2));
    Twice() { register_module("second", shared); }
    Tensor forward(const Tensor& x) override { return (*shared)((*shared)(x)); }
  };
  Twice model;
  BOOST_TEST(model.parameters().size() == 2u);
  BOOST_TEST(model.parameter_count() == 6u);
  BOOST_TEST(model.named_modules().size() == 1u);
  BOOST_TEST(model.state_dict().size() == 2u);
  optim::Adam adam(model.parameters());  // would refuse a parameter listed twice
  BOOST_TEST(adam.params(0).size() == 2u);
}

BOOST_AUTO_TEST_CASE(a_frozen_submodule_gets_no_gradient_and_no_update) {
  nn::manual_seed(4);
  nn::Sequential model(nn::Linear(2, 3), nn::Tanh(), nn::Linear(3, 1));
  model[0]->set_requires_grad(false);
  BOOST_TEST(model.trainable_parameter_count() == 4u);
  optim::SGD sgd(model.parameters(), {.lr = 0.5});
  const xt::xarray<float> frozen = model[0]->parameters()[0].value();
  const xt::xarray<float> trained = model[2]->parameters()[0].value();
  tg::sum(model(tg::ones<float>({2, 2}))).backward();
  sgd.step();
  BOOST_TEST(!model[0]->parameters()[0].grad().defined());
  BOOST_TEST(model[0]->parameters()[0].value() == frozen);
  BOOST_TEST(!(model[2]->parameters()[0].value() == trained));
}

BOOST_AUTO_TEST_SUITE_END()
