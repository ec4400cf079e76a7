#pragma once
// For thread-locals read on every operation: the initial-exec model spares a __tls_get_addr
// call per access. tapegrad is linked, not loaded with dlopen, so the model is valid.
#define TG_THREAD_LOCAL thread_local __attribute__((tls_model("initial-exec")))

namespace tg::detail {

// A per-thread object made on first use and destroyed at thread exit. A thread_local with a
// constructor or destructor is reached through __tls_get_addr on every access, initial-exec or
// not (its guard is not); this one through a plain pointer. get() is null once it is destroyed.
template <class Object>
class PerThread {
 public:
  static Object* get() {
    if (Object* object = current) [[likely]]
      return object;
    return destroyed ? nullptr : make();
  }

 private:
  struct Owner {
    Object object;
    ~Owner() {
      current = nullptr;
      destroyed = true;
    }
  };
  static Object* make() {
    thread_local Owner owner;
    current = &owner.object;
    return current;
  }
  static inline TG_THREAD_LOCAL Object* current = nullptr;
  static inline TG_THREAD_LOCAL bool destroyed = false;
};

}  // namespace tg::detail
