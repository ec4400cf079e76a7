// PyImageSearch's "A simple neural network with Python and Keras": every image of a folder
// resized to 32x32, its raw pixels (3072 values in [0, 1]) the input of a 3072-768-384-N ReLU
// network (Keras's "uniform" initialisation, U(-0.05, 0.05), for the hidden layers), trained
// with SGD (lr 0.01, batches of 128, 50 epochs) on softmax cross-entropy, a quarter of the
// images held out, and saved; `--predict` prints the class probabilities of new images. The
// folder is decoded batch by batch (tg::nn::ImageFolderLoader): it may be larger than memory.
//
//   image_classifier --data data/fruit --model fruit.safetensors
//   image_classifier --model fruit.safetensors --predict photo.jpg     (or a folder of photos)
#include <algorithm>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>


#include "examples/cli.hpp"
#include "examples/image_examples.hpp"
#include "nn/data/atomic_file.hpp"
#include "nn/train/progress.hpp"

namespace {

namespace fs = std::filesystem;

tg::nn::Sequential network(std::size_t pixels, std::size_t classes) {
  tg::nn::Sequential net;
  net.push_back(tg::nn::Flatten());
  for (std::size_t width : {std::size_t(768), std::size_t(384)}) {
    auto dense = net.push_back(tg::nn::Linear(pixels, width));
    tg::nn::init::uniform_(dense->weight, -0.05, 0.05);
    tg::nn::init::zeros_(dense->bias);
    net.push_back(tg::nn::ReLU());
    pixels = width;
  }
  auto out = net.push_back(tg::nn::Linear(pixels, classes));  // Keras's default: Glorot-uniform, zero bias
  tg::nn::init::xavier_uniform_(out->weight);
  tg::nn::init::zeros_(out->bias);
  return net;
}

// The class names are saved next to the weights, one per line.
fs::path classes_file(const fs::path& model) { return model.string() + ".classes"; }

// What a pass over a loader adds up; an evaluation keeps its outputs for the confusion matrix.
struct Pass {
  double loss_sum = 0;
  std::size_t correct = 0, seen = 0;
  std::vector<tg::Tensor> outputs;
  tg::Labels labels;

  void add(const tg::Tensor& logits, const tg::Tensor& loss, const tg::Labels& targets) {
    loss_sum += loss.item() * static_cast<double>(targets.size());
    correct += tg::nn::correct_predictions(logits, targets);
    seen += targets.size();
  }
  double loss() const { return loss_sum / static_cast<double>(seen); }
  double accuracy() const { return static_cast<double>(correct) / static_cast<double>(seen); }
};

Pass train_epoch(tg::nn::Sequential& net, tg::optim::SGD& optimizer, const tg::nn::ImageFolderLoader& loader,
                 std::size_t epoch, tg::nn::ProgressBar& bar) {
  net.train();
  Pass pass;
  std::size_t done = 0;
  for (const auto& batch : loader.epoch(epoch)) {
    ++done;
    if (batch.targets.empty()) continue;  // every file of the batch was unreadable and skipped
    const tg::Tensor logits = net(batch.inputs);
    const tg::Tensor loss = tg::nn::cross_entropy(logits, batch.targets);
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    pass.add(logits, loss, batch.targets);
    char status[32];
    std::snprintf(status, sizeof status, "loss: %.4f", pass.loss());
    bar.update(done, status);
  }
  return pass;
}

Pass evaluate(tg::nn::Sequential& net, const tg::nn::ImageFolderLoader& loader) {
  net.eval();
  tg::NoGradGuard no_grad;
  Pass pass;
  for (const auto& batch : loader.epoch(0)) {
    if (batch.targets.empty()) continue;
    const tg::Tensor logits = net(batch.inputs);
    pass.add(logits, tg::nn::cross_entropy(logits, batch.targets), batch.targets);
    pass.outputs.push_back(logits);
    pass.labels.insert(pass.labels.end(), batch.targets.begin(), batch.targets.end());
  }
  return pass;
}

int predict(const examples::Args& args, std::size_t size) {
  std::vector<std::string> classes;
  std::ifstream names(classes_file(args.str("model")));
  for (std::string line; std::getline(names, line);) classes.push_back(line);
  if (classes.empty()) throw tg::Error(classes_file(args.str("model")).string() + ": no class names (train a model first)");
  auto net = network(3 * size * size, classes.size());
  tg::nn::load_weights(args.str("model"), net);
  std::vector<fs::path> images;
  if (fs::is_directory(args.str("predict"))) {
    for (const auto& entry : fs::directory_iterator(args.str("predict")))
      if (entry.is_regular_file()) images.push_back(entry.path());
    std::sort(images.begin(), images.end());
  } else {
    images.push_back(args.str("predict"));
  }
  for (const auto& file : images) {
    xt::xarray<float> pixels = tg::nn::load_image(file, {.height = size, .width = size});
    pixels.reshape({1, 3, size, size});
    const tg::Tensor probabilities = tg::softmax(net.predict(tg::Tensor::from(pixels)), 1);
    const auto& p = probabilities.value();
    const auto best = static_cast<std::size_t>(std::max_element(p.begin(), p.end()) - p.begin());
    std::printf("%s: %s %.2f%% (", file.string().c_str(), classes[best].c_str(), 100.0 * p(0, best));
    for (std::size_t c = 0; c < classes.size(); ++c) std::printf("%s%s %.4f", c ? ", " : "", classes[c].c_str(), p(0, c));
    std::printf(")\n");
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) try {
  const examples::Args args(argc, argv,
                            {{"data", "data/fruit"}, {"size", "32"}, {"epochs", "50"}, {"lr", "0.01"}, {"batch-size", "128"},
                             {"test-fraction", "0.25"}, {"seed", "42"}, {"skip-unreadable", "no"},
                             {"model", "image_classifier.safetensors"}, {"predict", ""},
                             {"history", "image_classifier_history"}});
  const std::size_t size = args.count("size");
  if (!args.str("predict").empty()) return predict(args, size);

  const auto seed = static_cast<std::uint64_t>(args.number("seed"));
  const auto files = tg::nn::list_image_folder(args.str("data"));
  const auto [train_files, test_files] = examples::split_files(files, args.number("test-fraction"), seed);
  const tg::nn::ImageFolderOptions image_options{.height = size, .width = size,
                                                 .skip_unreadable = args.str("skip-unreadable") == "yes"};
  const tg::nn::ImageFolderLoader train_loader(train_files, image_options,
                                               {.batch_size = args.count("batch-size"), .shuffle = true, .seed = seed});
  const tg::nn::ImageFolderLoader test_loader(test_files, image_options, {.batch_size = 256});
  const std::size_t classes = files.classes.size();
  std::printf("image_classifier: %zu training and %zu held-out images of %zu classes, resized to %zux%zu: "
              "a %zu-768-384-%zu network\n", train_files.files.size(), test_files.files.size(), classes, size, size,
              3 * size * size, classes);

  tg::nn::manual_seed(seed);
  auto net = network(3 * size * size, classes);
  tg::optim::SGD optimizer(net.parameters(), {.lr = args.number("lr")});
  tg::nn::History history;
  const std::size_t epochs = args.count("epochs");
  Pass test;
  for (std::size_t e = 0; e < epochs; ++e) {
    tg::nn::ProgressBar bar(std::cout, train_loader.num_batches(), tg::nn::is_terminal(std::cout));
    const Pass train = train_epoch(net, optimizer, train_loader, e, bar);
    test = evaluate(net, test_loader);
    tg::nn::Logs logs;
    logs.set("loss", train.loss());
    logs.set("accuracy", train.accuracy());
    logs.set("val_loss", test.loss());
    logs.set("val_accuracy", test.accuracy());
    logs.set("seconds", bar.elapsed_seconds());
    history.append(logs);
    char line[160];
    std::snprintf(line, sizeof line, "epoch %zu/%zu - %.1fs - loss: %.4f - accuracy: %.4f - held-out loss: %.4f - held-out accuracy: %.4f",
                  e + 1, epochs, bar.elapsed_seconds(), train.loss(), train.accuracy(), test.loss(), test.accuracy());
    bar.finish(line);
  }
  std::printf("[INFO] loss=%.4f, accuracy: %.4f%%\n", test.loss(), 100 * test.accuracy());
  std::printf("final held-out accuracy: %.4f\n", test.accuracy());
  examples::print_confusion_matrix(tg::concat(test.outputs, 0), test.labels, files.classes);
  for (const auto& skipped : train_loader.skipped()) std::printf("skipped %s\n", skipped.reason.c_str());
  for (const auto& skipped : test_loader.skipped()) std::printf("skipped %s\n", skipped.reason.c_str());

  tg::nn::save_weights(args.str("model"), net);
  std::string names;
  for (const auto& c : files.classes) names += c + "\n";
  tg::nn::write_atomically(classes_file(args.str("model")).string(), names, "image_classifier");
  std::printf("model: %s (class names in %s)\n", args.str("model").c_str(), classes_file(args.str("model")).c_str());
  history.write_csv(args.str("history") + ".csv");
  if (history.plot(args.str("history") + ".png", std::cout))
    std::printf("history: %s.csv, %s.png\n", args.str("history").c_str(), args.str("history").c_str());
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "image_classifier: %s\n", e.what());
  return 1;
}
