// MPI's start and end, the library's communicator, and the bounded waits every collective uses.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <thread>

#include "autograd/error.hpp"
#include "nn/dist/dist.hpp"
#include "nn/dist/mpi_calls.hpp"

namespace tg::dist {
namespace {

using Clock = std::chrono::steady_clock;

struct State {
  MPI_Comm comm = MPI_COMM_NULL;
  int rank = 0, size = 1;
  std::chrono::duration<double> timeout{300.0};
  std::string failure;  // why MPI can no longer be used: the Context then ends the job
};

State& state() {
  static State s;
  return s;
}

[[noreturn]] void fail(const std::string& message) {
  state().failure = message;
  throw Error(message);
}

std::chrono::duration<double> timeout_from_environment() {
  const char* text = std::getenv("TAPEGRAD_DIST_TIMEOUT");
  if (!text) return std::chrono::duration<double>(300.0);
  char* end = nullptr;
  const double seconds = std::strtod(text, &end);
  if (end == text || *end || !(seconds > 0))
    throw Error(std::string("dist::Context: TAPEGRAD_DIST_TIMEOUT must be a positive number of seconds, got '") + text +
                "'");
  return std::chrono::duration<double>(seconds);
}

}  // namespace

Context::Context(int& argc, char**& argv) : uncaught_exceptions_(std::uncaught_exceptions()) {
  int initialized = 0, finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  if (initialized || finalized)
    throw Error(
        "dist::Context: MPI was already started in this process; create one Context, before anything else uses MPI");
  const auto timeout = timeout_from_environment();
  int provided = 0;
  if (MPI_Init_thread(&argc, &argv, MPI_THREAD_SERIALIZED, &provided) != MPI_SUCCESS)
    throw Error("dist::Context: MPI_Init_thread failed");
  if (provided < MPI_THREAD_SERIALIZED) {
    MPI_Finalize();
    throw Error("dist::Context: this MPI offers thread level " + std::to_string(provided) +
                "; tapegrad needs MPI_THREAD_SERIALIZED (" + std::to_string(MPI_THREAD_SERIALIZED) + ")");
  }
  State& s = state();
  MPI_Comm_dup(MPI_COMM_WORLD, &s.comm);
  MPI_Comm_set_errhandler(s.comm, MPI_ERRORS_RETURN);
  MPI_Comm_rank(s.comm, &s.rank);
  MPI_Comm_size(s.comm, &s.size);
  s.timeout = timeout;
  s.failure.clear();
  nn::set_process_group(&detail::mpi_process_group());
}

Context::~Context() {
  State& s = state();
  nn::set_process_group(nullptr);
  if (!s.failure.empty()) {
    std::fprintf(stderr, "tg::dist: rank %d: %s; ending the job\n", s.rank, s.failure.c_str());
    std::fflush(stderr);
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  if (std::uncaught_exceptions() > uncaught_exceptions_) {
    // MPI_Finalize would wait for ranks that wait for this one; a rank that exits without it
    // makes mpirun end the job.
    std::fprintf(stderr, "tg::dist: rank %d is leaving through an exception; the other ranks will be ended\n", s.rank);
    std::fflush(stderr);
    s.comm = MPI_COMM_NULL;
    return;
  }
  MPI_Comm_free(&s.comm);
  MPI_Finalize();
}

namespace {

const State& alive(const char* caller) {
  if (state().comm == MPI_COMM_NULL)
    throw Error(std::string(caller) + ": no tg::dist::Context is alive (create one first in main)");
  return state();
}

}  // namespace

int rank() { return alive("dist::rank").rank; }
int world_size() { return alive("dist::world_size").size; }

void barrier() {
  MPI_Request request;
  detail::check(MPI_Ibarrier(detail::communicator("dist::barrier"), &request), "dist::barrier");
  detail::wait(request, "dist::barrier");
}

void set_timeout(std::chrono::duration<double> timeout) {
  if (!(timeout.count() > 0)) throw Error("dist::set_timeout: the timeout must be positive");
  state().timeout = timeout;
}

std::chrono::duration<double> timeout() { return state().timeout; }

namespace detail {

MPI_Comm communicator(const char* caller) {
  const State& s = alive(caller);
  if (!s.failure.empty()) throw Error(std::string(caller) + ": MPI failed earlier (" + s.failure + ")");
  return s.comm;
}

void check(int rc, const char* caller) {
  if (rc == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  MPI_Error_string(rc, text, &length);
  fail(std::string(caller) + ": MPI error: " + std::string(text, static_cast<std::size_t>(length)));
}

void progress(std::vector<MPI_Request>& requests, const char* caller) {
  int done = 0;
  check(MPI_Testall(static_cast<int>(requests.size()), requests.data(), &done, MPI_STATUSES_IGNORE), caller);
}

void wait_all(std::vector<MPI_Request>& requests, const char* caller) {
  const auto start = Clock::now();
  const auto limit = state().timeout;
  for (;;) {
    int done = 0;
    check(MPI_Testall(static_cast<int>(requests.size()), requests.data(), &done, MPI_STATUSES_IGNORE), caller);
    if (done) return;
    const auto waited = Clock::now() - start;
    if (waited > limit) {
      char seconds[32];
      std::snprintf(seconds, sizeof seconds, "%g", limit.count());
      fail(std::string(caller) + ": no answer from the other ranks within " + seconds +
           " s: a rank has failed or is stuck (TAPEGRAD_DIST_TIMEOUT sets the limit)");
    }
    // Spin briefly for the usual short waits, then leave the core to ranks that compute.
    if (waited < std::chrono::milliseconds(2))
      std::this_thread::yield();
    else
      std::this_thread::sleep_for(std::chrono::microseconds(50));
  }
}

void wait(MPI_Request& request, const char* caller) {
  std::vector<MPI_Request> one{request};
  wait_all(one, caller);
  request = one[0];
}

int first_failing_rank(bool failed, const char* caller) {
  const State& s = state();
  int mine = failed ? s.rank : s.size, first = 0;
  MPI_Request request;
  check(MPI_Iallreduce(&mine, &first, 1, MPI_INT, MPI_MIN, communicator(caller), &request), caller);
  wait(request, caller);
  return first == s.size ? -1 : first;
}

std::string broadcast_text(std::string text, int from, const char* caller) {
  MPI_Comm comm = communicator(caller);
  unsigned long long length = text.size();
  MPI_Request request;
  check(MPI_Ibcast(&length, 1, MPI_UNSIGNED_LONG_LONG, from, comm, &request), caller);
  wait(request, caller);
  text.resize(length);
  check(MPI_Ibcast(text.data(), static_cast<int>(length), MPI_CHAR, from, comm, &request), caller);
  wait(request, caller);
  return text;
}

}  // namespace detail
}  // namespace tg::dist
