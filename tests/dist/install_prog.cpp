// An outside program using tg::dist, built only from what `meson install` put in place:
//   g++ install_prog.cpp $(pkg-config --cflags --libs tapegrad)
// tapegrad.pc defines TAPEGRAD_HAS_MPI, so that tapegrad.hpp declares tg::dist, and links MPI.
#include <iostream>

#include "tapegrad.hpp"

#ifndef TAPEGRAD_HAS_MPI
#error "tapegrad.pc does not define TAPEGRAD_HAS_MPI"
#endif

int main(int argc, char** argv) {
  tg::dist::Context mpi(argc, argv);
  auto t = tg::Tensor::from(xt::xarray<float>{float(tg::dist::rank() + 1)});
  tg::dist::all_reduce(t);
  if (tg::dist::rank() == 0) std::cout << "sum over " << tg::dist::world_size() << " ranks: " << t.item() << std::endl;
}
