#pragma once
// --distributed in the examples: the program is one of the processes mpirun started
// (mpirun -np 2 build/examples/mnist_cnn --distributed), fit trains data-parallel across them,
// and only rank 0 prints and writes files.
#include <optional>
#include <stdexcept>

#include "tapegrad.hpp"

namespace examples {

class Processes {
 public:
  Processes(bool distributed, int& argc, char**& argv) {
    if (!distributed) return;
#ifdef TAPEGRAD_HAS_MPI
    context_.emplace(argc, argv);
    main_ = tg::dist::rank() == 0;
#else
    (void)argc, (void)argv;
    throw std::invalid_argument("--distributed: this tapegrad was built without MPI (meson setup -Dmpi=enabled)");
#endif
  }
  // Rank 0, or the only process: the one that prints and writes files.
  bool main() const { return main_; }

 private:
#ifdef TAPEGRAD_HAS_MPI
  std::optional<tg::dist::Context> context_;
#endif
  bool main_ = true;
};

}  // namespace examples
