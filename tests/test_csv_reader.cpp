// The MNIST CSV reader: exact values from plain and gzip files, and errors naming line and column.
#include <string>

#include <boost/test/unit_test.hpp>

#include "tapegrad.hpp"
#include "tests/data_files.hpp"
#include "tests/error_message.hpp"
#include "tests/temp_dir.hpp"

using tg::testing::message_contains;
using tg::testing::reshaped;
using tg::testing::TempDir;
using tg::testing::write_bytes;
using tg::testing::write_gzip;

namespace {

// `label,pix0,...,pix783` with every pixel `pixel` except pix0 = first.
std::string csv_line(const std::string& label, const std::string& first, const std::string& pixel) {
  std::string line = label + "," + first;
  for (int i = 1; i < 784; ++i) line += "," + pixel;
  return line;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(data)

BOOST_AUTO_TEST_CASE(csv_reads_exact_values) {
  TempDir dir("tapegrad_test_data");
  write_bytes(dir / "mnist.csv", csv_line("5", "255", "0") + "\n" + csv_line("0", "51", "3") + "\n");
  const auto set = tg::nn::read_mnist_csv(dir / "mnist.csv");
  BOOST_TEST(set.labels == (tg::Labels{5, 0}), boost::test_tools::per_element());
  BOOST_TEST(set.images.shape() == (tg::Shape{2, 28, 28}), boost::test_tools::per_element());
  BOOST_TEST(set.images(0, 0, 0) == 1.0f);
  BOOST_TEST(set.images(0, 27, 27) == 0.0f);
  BOOST_TEST(set.images(1, 0, 0) == 0.2f);
  BOOST_TEST(set.images(1, 13, 5) == 3.0f / 255.0f);

  // A header line, CRLF line ends, no final newline, gzip: all read the same.
  write_gzip(dir / "mnist.csv.gz", "label,pixel0,pixel1\r\n" + csv_line("5", "255", "0") + "\r\n" + csv_line("0", "51", "3"));
  const auto same = tg::nn::read_mnist_csv(dir / "mnist.csv.gz", {.flatten = true});
  BOOST_TEST(same.labels == set.labels, boost::test_tools::per_element());
  BOOST_TEST(same.images == reshaped(set.images, {2, 784}));
}

BOOST_AUTO_TEST_CASE(csv_errors_name_line_and_column) {
  TempDir dir("tapegrad_test_data");
  const std::string good = csv_line("1", "0", "0") + "\n";
  BOOST_CHECK_EXCEPTION(tg::nn::read_mnist_csv(dir / "absent.csv"), tg::Error,
                        message_contains({"read_mnist_csv", "absent.csv", "no such file"}));

  write_bytes(dir / "bad-number.csv", good + csv_line("2", "1x", "0") + "\n");
  BOOST_CHECK_EXCEPTION(tg::nn::read_mnist_csv(dir / "bad-number.csv"), tg::Error,
                        message_contains({"bad-number.csv", "line 2", "bad field '1x' at column 2", "a pixel 0..255"}));

  const std::string last_empty = csv_line("3", "0", "0");
  write_bytes(dir / "empty-field.csv", good + good + last_empty.substr(0, last_empty.size() - 1) + "\n");
  BOOST_CHECK_EXCEPTION(tg::nn::read_mnist_csv(dir / "empty-field.csv"), tg::Error,
                        message_contains({"empty-field.csv", "line 3", "bad field '' at column 785"}));

  write_bytes(dir / "big-label.csv", good + csv_line("10", "0", "0") + "\n");
  BOOST_CHECK_EXCEPTION(tg::nn::read_mnist_csv(dir / "big-label.csv"), tg::Error,
                        message_contains({"big-label.csv", "line 2", "label 10 out of range at column 1", "a label 0..9"}));

  write_bytes(dir / "big-pixel.csv", csv_line("4", "256", "0") + "\n");
  BOOST_CHECK_EXCEPTION(tg::nn::read_mnist_csv(dir / "big-pixel.csv"), tg::Error,
                        message_contains({"big-pixel.csv", "line 1", "pixel 256 out of range at column 2"}));

  write_bytes(dir / "negative.csv", csv_line("4", "-1", "0") + "\n");
  BOOST_CHECK_EXCEPTION(tg::nn::read_mnist_csv(dir / "negative.csv"), tg::Error,
                        message_contains({"negative.csv", "bad field '-1' at column 2"}));

  write_bytes(dir / "short-row.csv", good + "7,1,2,3\n");
  BOOST_CHECK_EXCEPTION(tg::nn::read_mnist_csv(dir / "short-row.csv"), tg::Error,
                        message_contains({"short-row.csv", "line 2: 4 fields, expected 785"}));
}

BOOST_AUTO_TEST_SUITE_END()
