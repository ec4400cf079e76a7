// The Boost.Test main for every suite, reporting in TAP so that `meson test` counts each
// test case rather than each executable.
#ifndef BOOST_TEST_DYN_LINK  // meson passes it with the boost dependency
#define BOOST_TEST_DYN_LINK
#endif
#define BOOST_TEST_MODULE tapegrad
#include <boost/test/execution_monitor.hpp>
#include <boost/test/results_collector.hpp>
#include <boost/test/tree/test_unit.hpp>
#include <boost/test/unit_test.hpp>
#include <boost/test/unit_test_log_formatter.hpp>

namespace {

namespace ut = boost::unit_test;

class TapFormatter : public ut::unit_test_log_formatter {
 public:
  void log_start(std::ostream&, ut::counter_t) override {}
  void log_finish(std::ostream& os) override { os << "1.." << count_ << std::endl; }
  void log_build_info(std::ostream&, bool) override {}
  void test_unit_start(std::ostream&, const ut::test_unit&) override {}
  void test_unit_finish(std::ostream& os, const ut::test_unit& tu, unsigned long) override {
    if (tu.p_type != ut::TUT_CASE) return;
    const bool passed = ut::results_collector.results(tu.p_id).passed();
    os << (passed ? "ok " : "not ok ") << ++count_ << " - " << tu.full_name() << std::endl;
  }
  void test_unit_skipped(std::ostream& os, const ut::test_unit& tu, ut::const_string reason) override {
    if (tu.p_type != ut::TUT_CASE) return;
    os << "ok " << ++count_ << " - " << tu.full_name() << " # SKIP " << reason << std::endl;
  }
  void log_exception_start(std::ostream& os, const ut::log_checkpoint_data& cp,
                           const boost::execution_exception& ex) override {
    os << "# " << cp.m_file_name << ":" << cp.m_line_num << ": uncaught exception: " << ex.what();
  }
  void log_exception_finish(std::ostream& os) override { os << std::endl; }
  void log_entry_start(std::ostream& os, const ut::log_entry_data& led, log_entry_types) override {
    os << "# " << led.m_file_name << ":" << led.m_line_num << ": ";
  }
  void log_entry_value(std::ostream& os, ut::const_string value) override {
    for (char c : value) os << (c == '\n' ? std::string("\n# ") : std::string(1, c));
  }
  void log_entry_finish(std::ostream& os) override { os << std::endl; }
  void entry_context_start(std::ostream& os, ut::log_level) override { os << " ["; }
  void log_entry_context(std::ostream& os, ut::log_level, ut::const_string value) override { os << value << ";"; }
  void entry_context_finish(std::ostream& os, ut::log_level) override { os << "]"; }

 private:
  unsigned count_ = 0;
};

struct UseTap {
  UseTap() {
    ut::unit_test_log.set_formatter(new TapFormatter);
    ut::unit_test_log.set_threshold_level(ut::log_test_units);
  }
};

}  // namespace

BOOST_TEST_GLOBAL_CONFIGURATION(UseTap);
