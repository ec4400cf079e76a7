// Every name an operation is recorded under in ops/ and nn/ is covered by tests/op_table.cpp,
// so no operation skips gradcheck, gradgradcheck and the micro benchmarks. The names are read
// from the sources (each record<T>({.name = "...", ...}) call, or .name = c ? "..." : "...");
// an entry covers the names on the tape its forward builds (an op recorded only inside another's
// rule needs an entry too: gradgradcheck holds the incoming gradient constant, so its rule would
// go unchecked).
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
// GCC 12 with -fsanitize=address (scripts/test.sh --sanitize) warns falsely inside std::regex's
// automaton (-Wmaybe-uninitialized): read between a push and a pop, as in gcc12_bogus_warnings.hpp.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <regex>
#pragma GCC diagnostic pop
#include <set>

#include "autograd/node.hpp"
#include "tests/op_table.hpp"

namespace {

namespace fs = std::filesystem;
using tg::TensorD;

// name -> "file:line" of each record() call in the library's sources; calls whose name is not
// a string literal go to `unreadable`, as they cannot be checked.
struct RecordedNames {
  std::map<std::string, std::string> names;
  std::vector<std::string> unreadable;
};

RecordedNames read_recorded_names() {
  const fs::path root = TG_SOURCE_ROOT;
  const std::regex call(R"re(\brecord\s*<[^>]*>\s*\()re");
  const std::regex literal_name(R"re(^\s*\{\s*\.name\s*=\s*"([A-Za-z0-9_]+)")re");
  const std::regex chosen_name(R"re(^\s*\{\s*\.name\s*=\s*[A-Za-z0-9_]+\s*\?\s*"([A-Za-z0-9_]+)"\s*:\s*"([A-Za-z0-9_]+)")re");
  RecordedNames found;
  for (const char* dir : {"ops", "nn"})
    for (const auto& entry : fs::recursive_directory_iterator(root / dir)) {
      const auto ext = entry.path().extension();
      if (ext != ".cpp" && ext != ".hpp") continue;
      std::ifstream in(entry.path());
      const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      for (auto it = std::sregex_iterator(text.begin(), text.end(), call); it != std::sregex_iterator(); ++it) {
        const auto after = text.begin() + it->position() + it->length();
        const auto line = 1 + std::count(text.begin(), after, '\n');
        const std::string where = fs::relative(entry.path(), root).string() + ":" + std::to_string(line);
        std::smatch m;
        if (std::regex_search(after, text.end(), m, literal_name)) {
          found.names.emplace(m[1], where);
        } else if (std::regex_search(after, text.end(), m, chosen_name)) {
          found.names.emplace(m[1], where);
          found.names.emplace(m[2], where);
        } else {
          found.unreadable.push_back(where);
        }
      }
    }
  return found;
}

void collect_names(const std::shared_ptr<tg::Node<double>>& node, std::set<std::string>& names,
                   std::set<const void*>& seen) {
  std::vector<const tg::Node<double>*> stack;
  if (node) stack.push_back(node.get());
  while (!stack.empty()) {
    const auto* n = stack.back();
    stack.pop_back();
    if (!seen.insert(n).second) continue;
    names.insert(n->name());
    for (const auto& e : n->edges())
      if (e.node) stack.push_back(e.node.get());
  }
}

// The names on the tapes of every table entry's forward.
std::set<std::string> covered_names() {
  std::set<std::string> names;
  for (const auto& op : tg::testing::op_table())
    for (std::size_t k = 0; k < op.shapes.size(); ++k) {
      const auto inputs = tg::testing::sample_inputs(op, op.shapes[k], k + 1);
      std::set<const void*> seen;
      collect_names(op.build(inputs).grad_fn(), names, seen);
    }
  return names;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(op_coverage)

BOOST_AUTO_TEST_CASE(every_recorded_name_is_in_the_op_table) {
  const RecordedNames recorded = read_recorded_names();
  BOOST_TEST_INFO("sources read from " << TG_SOURCE_ROOT);
  BOOST_TEST(recorded.names.size() >= 40u);  // the scan found the library's operations
  for (const auto& where : recorded.unreadable)
    BOOST_ERROR(where << ": record() with a name that is not a string literal; write the name at the call");
  const std::set<std::string> covered = covered_names();
  for (const auto& [name, where] : recorded.names)
    BOOST_CHECK_MESSAGE(covered.count(name),
                        where << ": operation '" << name
                              << "' is recorded but no entry of tests/op_table.cpp records it: add one");
}

BOOST_AUTO_TEST_SUITE_END()
