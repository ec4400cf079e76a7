// Saves a 16 MiB checkpoint over and over, for test_saves to kill at random moments. Each save
// holds epoch `first`, `first + 1`, ... with every weight set to value_of(epoch); after a save
// returns, "saved <epoch>" is printed, so the test knows the last complete one.
//
//   save_loop <path> <first-epoch> [saves]     (default: until killed)
#include <cstdio>
#include <cstdlib>
#include <string>

#include "tests/save_loop.hpp"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: save_loop <path> <first-epoch> [saves]\n");
    return 2;
  }
  const std::string path = argv[1];
  const std::size_t first = std::strtoull(argv[2], nullptr, 10);
  const std::size_t saves = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 0;
  auto model = tg::testing::big_model();
  tg::optim::SGD sgd(model.parameters(), {.lr = 0.1});
  for (std::size_t i = 0; saves == 0 || i < saves; ++i) {
    const std::size_t epoch = first + i;
    tg::testing::fill(model, tg::testing::value_of(epoch));
    tg::nn::save_checkpoint(path, model, sgd, {.epoch = epoch});
    std::printf("saved %zu\n", epoch);
    std::fflush(stdout);
  }
}
