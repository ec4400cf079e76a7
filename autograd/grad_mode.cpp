#include "autograd/grad_mode.hpp"

#include "autograd/thread_local.hpp"

namespace tg {
namespace {
TG_THREAD_LOCAL bool grad_enabled = true;
}

bool GradMode::enabled() { return grad_enabled; }
void GradMode::set_enabled(bool enabled) { grad_enabled = enabled; }

}  // namespace tg
