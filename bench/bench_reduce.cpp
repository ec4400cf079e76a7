// Reductions over each axis of a (64, 64, 64) tensor and over all of it (sum, mean, max), and
// sums over each axis of a 1024 x 1024 matrix: the non-innermost axes are the slow ones lazily.
#include <string>
#include <vector>

#include "bench/micro.hpp"

namespace {

using Reduction = tg::Tensor (*)(const tg::Tensor&, const tg::Axes&, bool);

[[maybe_unused]] const bool registered = [] {
  const std::vector<std::pair<std::string, Reduction>> reductions = {
      {"sum", &tg::sum<float>}, {"mean", &tg::mean<float>}, {"max", &tg::max<float>}};
  const std::vector<std::pair<std::string, tg::Axes>> axes = {{"axis0", {0}}, {"axis1", {1}}, {"axis2", {2}}, {"all", {}}};
  for (const auto& [name, reduce] : reductions)
    for (const auto& [axes_name, over] : axes)
      bench::register_op("reduce/" + name + "/64x64x64/" + axes_name,
                         [reduce, over](const auto& x) { return reduce(x[0], over, false); },
                         {bench::input({64, 64, 64})}, 64.0 * 64 * 64);
  for (const int axis : {0, 1})
    bench::register_op("reduce/sum/1024x1024/axis" + std::to_string(axis),
                       [axis](const auto& x) { return tg::sum(x[0], {axis}); }, {bench::input({1024, 1024})},
                       1024.0 * 1024);
  return true;
}();

}  // namespace
