#include "nn/train/process_group.hpp"

namespace tg::nn {
namespace {

ProcessGroup*& current() {
  static ProcessGroup* group = nullptr;
  return group;
}

}  // namespace

ProcessGroup* process_group() { return current(); }
void set_process_group(ProcessGroup* group) { current() = group; }

}  // namespace tg::nn
