#pragma once
// Data files for the reader tests, written plain or gzip-compressed, and expected values shaped.
#include <zlib.h>

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <string>

#include "tapegrad.hpp"

namespace tg::testing {

inline void write_gzip(const std::filesystem::path& path, const std::string& bytes) {
  gzFile file = gzopen(path.c_str(), "wb");
  BOOST_REQUIRE(file != nullptr);
  BOOST_REQUIRE_EQUAL(gzwrite(file, bytes.data(), static_cast<unsigned>(bytes.size())), static_cast<int>(bytes.size()));
  BOOST_REQUIRE_EQUAL(gzclose(file), Z_OK);
}

inline xt::xarray<float> reshaped(xt::xarray<float> values, const tg::Shape& shape) {
  values.reshape(shape);
  return values;
}

}  // namespace tg::testing
