// all_reduce, broadcast and the whole-model collectives built on them.
#include <algorithm>
#include <climits>
#include <cstdint>
#include <string>
#include <vector>

#include "autograd/error.hpp"
#include "autograd/grad_mode.hpp"
#include "autograd/shape.hpp"
#include "nn/dist/dist.hpp"
#include "nn/dist/mpi_calls.hpp"

namespace tg::dist {
namespace {

template <class T>
MPI_Datatype mpi_type();
template <>
MPI_Datatype mpi_type<float>() {
  return MPI_FLOAT;
}
template <>
MPI_Datatype mpi_type<double>() {
  return MPI_DOUBLE;
}

int element_count(std::size_t size, const char* caller) {
  if (size > static_cast<std::size_t>(INT_MAX))
    throw Error(std::string(caller) + ": " + std::to_string(size) + " elements is more than one MPI call takes");
  return static_cast<int>(size);
}

template <class T>
void check_defined(const BasicTensor<T>& t, const char* caller) {
  if (!t.defined()) throw Error(std::string(caller) + ": the tensor is undefined");
}

// Where MPI writes the result into `t`: its values, changed in place (the version counts it).
template <class T>
T* values_to_change(BasicTensor<T>& t) {
  NoGradGuard no_grad;  // a parameter may be changed in place only outside the tape
  return t.mutable_value().data();
}

// Where a broadcast takes `t`'s values from on the root (only read there) or writes them elsewhere.
template <class T>
T* broadcast_buffer(BasicTensor<T>& t, int root) {
  return rank() == root ? const_cast<T*>(t.value().data()) : values_to_change(t);
}

template <class T>
void all_reduce_values(BasicTensor<T>& t) {
  const char* caller = "dist::all_reduce";
  MPI_Comm comm = detail::communicator(caller);
  check_defined(t, caller);
  // Tensors of different sizes would pair up wrongly: every rank learns the smallest and largest.
  const long long size = static_cast<long long>(t.size());
  long long sizes[2] = {size, -size};
  MPI_Request request;
  detail::check(MPI_Iallreduce(MPI_IN_PLACE, sizes, 2, MPI_LONG_LONG, MPI_MAX, comm, &request), caller);
  detail::wait(request, caller);
  if (sizes[0] != -sizes[1])
    throw Error(std::string(caller) + ": the ranks' tensors differ in size (from " + std::to_string(-sizes[1]) +
                " to " + std::to_string(sizes[0]) + " elements; rank " + std::to_string(rank()) + "'s is " +
                shape_str(t.value().shape()) + ")");
  detail::check(MPI_Iallreduce(MPI_IN_PLACE, values_to_change(t), element_count(t.size(), caller), mpi_type<T>(),
                               MPI_SUM, comm, &request),
                caller);
  detail::wait(request, caller);
}

void check_root(int root, const char* caller) {
  if (root < 0 || root >= world_size())
    throw Error(std::string(caller) + ": root " + std::to_string(root) + " is not a rank (there are " +
                std::to_string(world_size()) + ")");
}

template <class T>
void broadcast_values(BasicTensor<T>& t, int root) {
  const char* caller = "dist::broadcast";
  MPI_Comm comm = detail::communicator(caller);
  check_root(root, caller);
  // The root's shape goes first: a rank with an undefined tensor receives one of that shape.
  std::vector<std::uint64_t> shape;
  if (rank() == root) {
    if (!t.defined()) throw Error(std::string(caller) + ": the root's tensor is undefined");
    shape.assign(t.value().shape().begin(), t.value().shape().end());
  }
  std::uint64_t dims = shape.size();
  MPI_Request request;
  detail::check(MPI_Ibcast(&dims, 1, MPI_UINT64_T, root, comm, &request), caller);
  detail::wait(request, caller);
  shape.resize(dims);
  detail::check(MPI_Ibcast(shape.data(), static_cast<int>(dims), MPI_UINT64_T, root, comm, &request), caller);
  detail::wait(request, caller);
  const Shape root_shape(shape.begin(), shape.end());
  const bool differs = t.defined() && t.shape() != root_shape;
  if (const int r = detail::first_failing_rank(differs, caller); r >= 0)
    throw Error(std::string(caller) + ": rank " + std::to_string(r) + "'s tensor differs in shape from root " +
                std::to_string(root) + "'s " + shape_str(root_shape));
  if (!t.defined()) t = BasicTensor<T>::from(xt::xarray<T>::from_shape(root_shape));
  detail::check(
      MPI_Ibcast(broadcast_buffer(t, root), element_count(t.size(), caller), mpi_type<T>(), root, comm, &request),
      caller);
  detail::wait(request, caller);
}

// "name shape" per parameter and buffer, one a line: what must agree between ranks.
std::vector<std::string> layout(const nn::Module& model) {
  std::vector<std::string> lines;
  for (const auto& [name, t] : model.named_parameters())
    lines.push_back("parameter '" + name + "' " + shape_str(t.value().shape()));
  for (const auto& [name, t] : model.named_buffers())
    lines.push_back("buffer '" + name + "' " + shape_str(t.value().shape()));
  return lines;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  return text;
}

// Why this rank's model cannot take root's weights, or "" when the layouts agree.
std::string layout_difference(const std::vector<std::string>& mine, const std::string& roots_text, int root) {
  std::vector<std::string> roots;
  for (std::size_t begin = 0, end; (end = roots_text.find('\n', begin)) != std::string::npos; begin = end + 1)
    roots.push_back(roots_text.substr(begin, end - begin));
  const std::string here = "rank " + std::to_string(rank()), there = "rank " + std::to_string(root);
  for (std::size_t i = 0; i < mine.size() && i < roots.size(); ++i)
    if (mine[i] != roots[i])
      return "entry " + std::to_string(i) + " is " + roots[i] + " on " + there + " but " + mine[i] + " on " + here;
  if (mine.size() != roots.size())
    return there + " has " + std::to_string(roots.size()) + " parameters and buffers, " + here + " has " +
           std::to_string(mine.size());
  return {};
}

}  // namespace

void all_reduce(Tensor& t) { all_reduce_values(t); }
void all_reduce(TensorD& t) { all_reduce_values(t); }
void broadcast(Tensor& t, int root) { broadcast_values(t, root); }
void broadcast(TensorD& t, int root) { broadcast_values(t, root); }

void broadcast_parameters(nn::Module& model, int root) {
  const char* caller = "dist::broadcast_parameters";
  check_root(root, caller);
  const std::vector<std::string> mine = layout(model);
  const std::string difference = layout_difference(mine, detail::broadcast_text(joined(mine), root, caller), root);
  if (const int r = detail::first_failing_rank(!difference.empty(), caller); r >= 0)
    throw Error(std::string(caller) + ": the models differ: " + detail::broadcast_text(difference, r, caller));

  std::vector<Tensor> tensors = model.parameters();
  for (auto& b : model.buffers()) tensors.push_back(b);
  detail::broadcast_tensors(detail::each_once(tensors), root, caller);
}

namespace detail {

void broadcast_tensors(const std::vector<Tensor>& tensors, int root, const char* caller) {
  MPI_Comm comm = communicator(caller);
  std::vector<MPI_Request> requests;
  for (Tensor t : tensors) {
    requests.emplace_back();
    check(
        MPI_Ibcast(broadcast_buffer(t, root), element_count(t.size(), caller), MPI_FLOAT, root, comm, &requests.back()),
        caller);
  }
  wait_all(requests, caller);
}

std::vector<Tensor> each_once(const std::vector<Tensor>& tensors) {
  std::vector<Tensor> once;
  for (const auto& t : tensors)
    if (std::none_of(once.begin(), once.end(), [&](const Tensor& seen) { return seen.is_same(t); })) once.push_back(t);
  return once;
}

}  // namespace detail

void average_gradients(nn::Module& model) {
  GradientBuckets all_at_once(model, {.bucket_bytes = SIZE_MAX});
  all_at_once.synchronize();
}

}  // namespace tg::dist
