#include "ops/cpu/parallel.hpp"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "autograd/thread_local.hpp"
#include "ops/cpu/settings.hpp"

namespace tg::detail {
namespace {

using Body = std::function<void(std::size_t, std::size_t)>;

TG_THREAD_LOCAL bool inside_body = false;  // set on the pool's workers and on a caller while it runs

// Workers numbered 1..n wait for a new generation of work; part 0 of each is the caller's.
class Pool {
 public:
  ~Pool() {
    {
      const std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (std::thread& worker : workers_) worker.join();
  }

  void run(std::size_t count, std::size_t parts, const Body& body) {
    {
      const std::lock_guard lock(mutex_);
      while (workers_.size() + 1 < parts) workers_.emplace_back([this, index = workers_.size() + 1] { work(index); });
      body_ = &body;
      count_ = count;
      parts_ = parts;
      pending_ = parts - 1;
      error_ = nullptr;
      ++generation_;
    }
    wake_.notify_all();
    run_part(0);
    std::unique_lock lock(mutex_);
    done_.wait(lock, [this] { return pending_ == 0; });
    if (error_) std::rethrow_exception(error_);
  }

 private:
  void run_part(std::size_t part) {
    try {
      (*body_)(count_ * part / parts_, count_ * (part + 1) / parts_);
    } catch (...) {
      const std::lock_guard lock(mutex_);
      if (!error_) error_ = std::current_exception();
    }
  }

  void work(std::size_t index) {
    inside_body = true;
    std::size_t seen = 0;
    std::unique_lock lock(mutex_);
    for (;;) {
      wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
      if (stopping_) return;
      seen = generation_;
      if (index >= parts_) continue;
      lock.unlock();
      run_part(index);
      lock.lock();
      if (--pending_ == 0) done_.notify_one();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_, done_;
  std::vector<std::thread> workers_;
  const Body* body_ = nullptr;
  std::size_t count_ = 0, parts_ = 1, pending_ = 0, generation_ = 0;
  std::exception_ptr error_;
  bool stopping_ = false;
};

std::mutex& pool_in_use() {
  static std::mutex in_use;
  return in_use;
}

}  // namespace

void parallel_for(std::size_t count, std::size_t cost_per_item, const Body& body) {
  if (count == 0) return;
  const std::size_t threads = static_cast<std::size_t>(std::max(1, num_threads()));
  const std::size_t work = count * std::max<std::size_t>(1, cost_per_item);
  const std::size_t parts = std::min({threads, count, std::max<std::size_t>(1, work / parallel_grain)});
  std::unique_lock in_use(pool_in_use(), std::defer_lock);
  if (parts < 2 || inside_body || !in_use.try_lock()) return body(0, count);
  static Pool pool;
  inside_body = true;
  struct Leave {
    ~Leave() { inside_body = false; }
  } leave;
  pool.run(count, parts, body);
}

}  // namespace tg::detail
