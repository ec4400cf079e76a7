// The Fruit360 tutorial ("Artificial Neural Network Implementation using NumPy and
// Classification of the Fruits360 Image Dataset"): each 100x100 photo becomes the 360-bin
// histogram of its HSV hue (numpy.histogram's bins, spanning each photo's own hue range), the
// bins whose standard deviation over the photos exceeds 50 are kept (102 on the tutorial's
// four Fruit360 folders), and a 102-150-60-4 ReLU network without biases, its weights uniform
// in [-0.1, 0.1], classifies them. The tutorial never trains its network with a gradient (a
// wrong prediction shrinks every weight a little) and stays near 45%; here the tape trains it
// with softmax cross-entropy and SGD, on standardised features (the raw counts reach
// thousands), measured on photos held out of training.
//
//   make_fruit_images --out data/fruit && fruit360 --data data/fruit
//   fruit360 --data fruits-360/Training --classes "Apple Braeburn,Lemon,Mango,Raspberry"
#include <cstdio>
#include <exception>

#include <xtensor/xview.hpp>

#include "examples/cli.hpp"
#include "examples/image_examples.hpp"

namespace {

// One row of 360 hue counts per photo.
xt::xarray<float> hue_histograms(const tg::nn::ImageFiles& files) {
  auto rows = xt::xarray<float>::from_shape({files.files.size(), std::size_t(360)});
  for (std::size_t i = 0; i < files.files.size(); ++i) {
    const xt::xarray<float> hsv = tg::nn::rgb_to_hsv(tg::nn::to_rgb(tg::nn::read_image(files.files[i])));
    const xt::xarray<float> counts = tg::nn::histogram(xt::view(hsv, xt::all(), xt::all(), 0), 360);
    std::copy(counts.begin(), counts.end(), rows.data() + i * 360);
  }
  return rows;
}

void add_activation(tg::nn::Sequential& net, const std::string& name) {
  if (name == "relu") net.push_back(tg::nn::ReLU());
  else if (name == "sigmoid") net.push_back(tg::nn::Sigmoid());
  else throw std::invalid_argument("--activation is relu or sigmoid, got " + name);
}

}  // namespace

int main(int argc, char** argv) try {
  const examples::Args args(argc, argv,
                            {{"data", "data/fruit"}, {"classes", "apple,lemon,mango,raspberry"}, {"epochs", "10"},
                             {"lr", "0.01"}, {"batch-size", "1"}, {"activation", "relu"}, {"min-std", "50"},
                             {"test-fraction", "0.25"}, {"seed", "1"}, {"history", "fruit360_history"}});
  const auto seed = static_cast<std::uint64_t>(args.number("seed"));
  const auto files = tg::nn::list_image_folder(args.str("data"), examples::comma_list(args.str("classes")));
  const auto [train_files, test_files] = examples::split_files(files, args.number("test-fraction"), seed);
  const xt::xarray<float> train_counts = hue_histograms(train_files), test_counts = hue_histograms(test_files);

  // The tutorial measures the spread of each bin over all its photos; here over the training ones only.
  const auto kept = tg::nn::columns_with_std_above(train_counts, args.number("min-std"));
  if (kept.empty()) throw tg::Error("no hue bin varies by more than --min-std over the training photos");
  const auto scaler = tg::nn::Standardizer::fit(tg::nn::select_columns(train_counts, kept));
  const xt::xarray<float> train_x = scaler.transform(tg::nn::select_columns(train_counts, kept));
  const xt::xarray<float> test_x = scaler.transform(tg::nn::select_columns(test_counts, kept));
  const std::size_t classes = files.classes.size();
  std::printf("fruit360: %zu training and %zu held-out photos of %zu classes; %zu of 360 hue bins have std > %g\n",
              train_files.labels.size(), test_files.labels.size(), classes, kept.size(), args.number("min-std"));
  std::printf("network: %zu-150-60-%zu, %s, no biases\n", kept.size(), classes, args.str("activation").c_str());

  tg::nn::manual_seed(seed);
  tg::nn::Sequential net;
  net.push_back(tg::nn::Linear(kept.size(), 150, false));
  add_activation(net, args.str("activation"));
  net.push_back(tg::nn::Linear(150, 60, false));
  add_activation(net, args.str("activation"));
  net.push_back(tg::nn::Linear(60, classes, false));
  for (auto& w : net.parameters()) tg::nn::init::uniform_(w, -0.1, 0.1);  // the tutorial's weights
  tg::optim::SGD optimizer(net.parameters(), {.lr = args.number("lr")});
  const auto history = tg::nn::fit(net, tg::nn::CrossEntropyLoss{}, optimizer, {train_x, train_files.labels},
                                   {.epochs = args.count("epochs"), .batch_size = args.count("batch-size"), .seed = seed,
                                    .validation_data = tg::nn::Data{test_x, test_files.labels}, .metrics = {"accuracy"},
                                    .verbosity = tg::nn::Verbosity::Silent});

  const auto train_accuracy = history.values("accuracy"), test_accuracy = history.values("val_accuracy");
  for (std::size_t e = 0; e < test_accuracy.size(); ++e)
    std::printf("epoch %zu: training accuracy %.4f, held-out accuracy %.4f\n", e + 1, train_accuracy[e], test_accuracy[e]);
  std::printf("final held-out accuracy: %.4f\n", test_accuracy.back());
  examples::print_confusion_matrix(net.predict(tg::Tensor::from(test_x)), test_files.labels, files.classes);
  history.write_csv(args.str("history") + ".csv");
  if (history.plot(args.str("history") + ".png", std::cout))
    std::printf("history: %s.csv, %s.png\n", args.str("history").c_str(), args.str("history").c_str());
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "fruit360: %s\n", e.what());
  return 1;
}
