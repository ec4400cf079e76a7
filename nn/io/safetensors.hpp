#pragma once
// The safetensors file format, so that Python's safetensors and PyTorch read what we write: an
// 8-byte little-endian header length, a JSON header giving each tensor's dtype, shape and byte
// range ("data_offsets", relative to the end of the header) plus a "__metadata__" map of
// strings, then the tensors' raw little-endian bytes, back to back.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include <xtensor/xarray.hpp>

namespace tg::nn {

// A tensor as stored: dtype F32, F64 or I64.
using StoredArray = std::variant<xt::xarray<float>, xt::xarray<double>, xt::xarray<std::int64_t>>;

const char* dtype_name(const StoredArray& array);  // "F32", "F64" or "I64"

// The contents of a safetensors file: named tensors in the order of their data, and metadata.
class Safetensors {
 public:
  using Entry = std::pair<std::string, StoredArray>;

  // Appends a tensor; a name already present, or "__metadata__", is an error.
  void insert(std::string name, StoredArray array);
  bool contains(const std::string& name) const { return index_.count(name) != 0; }
  const StoredArray& at(const std::string& name) const;  // throws naming the key
  // The tensor's values; throws naming the key and both dtypes when it holds another dtype.
  template <class T>
  const xt::xarray<T>& get(const std::string& name) const;

  void reserve(std::size_t count);
  std::size_t size() const { return entries_.size(); }
  std::vector<Entry>::const_iterator begin() const { return entries_.begin(); }
  std::vector<Entry>::const_iterator end() const { return entries_.end(); }

  std::map<std::string, std::string> metadata;

 private:
  std::vector<Entry> entries_;
  std::unordered_map<std::string, std::size_t> index_;
};

// Written atomically (a temporary file renamed into place): a failed write leaves `path` as it
// was. The header is padded with spaces so that the data starts at a multiple of 8 bytes.
// `op` names the caller in errors, which also name the file.
void write_safetensors(const std::string& path, const Safetensors& contents, const char* op = "write_safetensors");
// Checks the whole layout: a file that is truncated, has a bad header length, a header that is
// not the expected JSON, an unknown dtype, or byte ranges that do not match the shapes, leave
// the file, overlap or leave gaps, is an error naming the file and the problem.
Safetensors read_safetensors(const std::string& path, const char* op = "read_safetensors");

}  // namespace tg::nn
