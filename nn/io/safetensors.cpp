// One file: the parser and the writer share the format's constants and dtype table, which stay private to it.
#include "nn/io/safetensors.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <string_view>
#include <type_traits>

#include "autograd/element_count.hpp"
#include "nn/data/atomic_file.hpp"
#include "nn/data/read_file.hpp"
#include "nn/io/parse_json.hpp"

namespace tg::nn {
namespace {

// Read into std::map-based objects (an ordered_json insert scans every earlier key: 100,000
// tensors took 11 s); the data order comes from the offsets. Each tensor's entry is written
// ordered, with the keys in the usual order.
using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

constexpr std::size_t length_bytes = 8;  // the header length before the header
constexpr const char* metadata_key = "__metadata__";

template <class T>
using Element = typename std::decay_t<T>::value_type;

// What a dtype name stands for.
struct Dtype {
  const char* name;
  std::size_t width;
  StoredArray (*make)(const Shape& shape);
};

template <class T>
StoredArray make_array(const Shape& shape) {
  return xt::xarray<T>::from_shape(shape);
}

constexpr Dtype dtypes[] = {{"F32", 4, make_array<float>}, {"F64", 8, make_array<double>},
                            {"I64", 8, make_array<std::int64_t>}};

const Dtype* find_dtype(const std::string& name) {
  for (const Dtype& d : dtypes)
    if (name == d.name) return &d;
  return nullptr;
}

// The file is little-endian: on a big-endian machine each element's bytes are reversed, both ways.
void swap_if_big_endian([[maybe_unused]] char* bytes, [[maybe_unused]] std::size_t count,
                        [[maybe_unused]] std::size_t width) {
  if constexpr (std::endian::native == std::endian::big)
    for (std::size_t i = 0; i < count; ++i) std::reverse(bytes + i * width, bytes + (i + 1) * width);
}

std::size_t byte_size(const StoredArray& array) {
  return std::visit([](const auto& a) { return a.size() * sizeof(Element<decltype(a)>); }, array);
}

std::string quoted(const std::string& s) { return "'" + s + "'"; }

// Reads one file, every error naming the caller and the file.
class Parser {
 public:
  Parser(const char* op, const std::string& path) : op_(op), path_(path) {}

  Safetensors parse(std::string_view bytes) const;

 private:
  struct Extent {
    std::string name;
    const Dtype* dtype;
    Shape shape;
    std::uint64_t begin, end;
  };

  [[noreturn]] void fail(const std::string& what) const { throw Error(std::string(op_) + ": " + path_ + ": " + what); }
  // The header, with `data` set to the bytes after it.
  Json parse_header(std::string_view bytes, std::string_view& data) const;
  std::map<std::string, std::string> parse_metadata(const Json& entry) const;
  Extent parse_extent(const std::string& name, const Json& entry, std::size_t data_size) const;
  void check_tiling(std::vector<Extent>& extents, std::size_t data_size) const;

  const char* op_;
  const std::string& path_;
};

Json Parser::parse_header(std::string_view bytes, std::string_view& data) const {
  if (bytes.size() < length_bytes)
    fail("truncated: " + std::to_string(bytes.size()) + " bytes, too few for the 8-byte header length");
  std::uint64_t length = 0;
  for (std::size_t i = 0; i < length_bytes; ++i)
    length |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[i])) << (8 * i);
  if (length > bytes.size() - length_bytes)
    fail("the header length " + std::to_string(length) + " is larger than the " +
         std::to_string(bytes.size() - length_bytes) + " bytes after it (truncated, or not a safetensors file)");
  Json header;
  try {
    header = parse_json<Json>(bytes.substr(length_bytes, length));
  } catch (const Error& e) {
    fail(std::string("the header ") + e.what());
  }
  if (!header.is_object()) fail("the header is not a JSON object");
  data = bytes.substr(length_bytes + length);
  return header;
}

std::map<std::string, std::string> Parser::parse_metadata(const Json& entry) const {
  if (!entry.is_object()) fail("'__metadata__' is not a JSON object");
  std::map<std::string, std::string> metadata;
  for (const auto& [key, value] : entry.items()) {
    if (!value.is_string()) fail("'__metadata__' entry '" + key + "' is not a string");
    metadata.emplace(key, value.get<std::string>());
  }
  return metadata;
}

Parser::Extent Parser::parse_extent(const std::string& name, const Json& entry, std::size_t data_size) const {
  const std::string which = "tensor " + quoted(name) + ": ";
  if (!entry.is_object() || !entry.contains("dtype") || !entry.contains("shape") || !entry.contains("data_offsets"))
    fail(which + "the entry is not an object with 'dtype', 'shape' and 'data_offsets'");
  const Json& dtype_name = entry["dtype"];
  const Dtype* dtype = dtype_name.is_string() ? find_dtype(dtype_name.get<std::string>()) : nullptr;
  if (!dtype) fail(which + "unknown dtype " + brief(dtype_name) + " (F32, F64 and I64 are read)");

  const Json& dims = entry["shape"];
  if (!dims.is_array()) fail(which + "the shape is not a list");
  Shape shape;
  for (const Json& dim : dims) {
    if (!dim.is_number_unsigned()) fail(which + "the shape " + brief(dims) + " is not a list of non-negative integers");
    shape.push_back(dim.get<std::uint64_t>());
  }
  std::size_t count = 0;
  try {
    count = element_count(shape, "shape");
  } catch (const Error&) {
    fail(which + "the shape " + brief(dims) + " is too large");
  }

  const Json& offsets = entry["data_offsets"];
  if (!offsets.is_array() || offsets.size() != 2 || !offsets[0].is_number_unsigned() ||
      !offsets[1].is_number_unsigned())
    fail(which + "data_offsets " + brief(offsets) + " are not two non-negative integers");
  const auto begin = offsets[0].get<std::uint64_t>(), end = offsets[1].get<std::uint64_t>();
  if (begin > end || end > data_size)
    fail(which + "data_offsets " + brief(offsets) + " lie outside the " + std::to_string(data_size) +
         " bytes of data");
  if (end - begin != count * dtype->width)
    fail(which + "data_offsets " + brief(offsets) + " hold " + std::to_string(end - begin) + " bytes, but " +
         dtype->name + " of shape " + shape_str(shape) + " takes " + std::to_string(count * dtype->width));
  return {name, dtype, std::move(shape), begin, end};
}

// The tensors must cover the data exactly: no overlaps, no gaps, nothing after the last one.
void Parser::check_tiling(std::vector<Extent>& extents, std::size_t data_size) const {
  std::stable_sort(extents.begin(), extents.end(), [](const Extent& a, const Extent& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  std::uint64_t covered = 0;
  const Extent* previous = nullptr;
  for (const Extent& e : extents) {
    if (e.begin < covered) fail("tensors " + quoted(previous->name) + " and " + quoted(e.name) + " overlap");
    if (e.begin > covered)
      fail(std::to_string(e.begin - covered) + " bytes before tensor " + quoted(e.name) + " belong to no tensor");
    covered = e.end;
    previous = &e;
  }
  if (covered != data_size)
    fail(std::to_string(data_size - covered) + " bytes at the end of the data belong to no tensor");
}

Safetensors Parser::parse(std::string_view bytes) const {
  std::string_view data;
  const Json header = parse_header(bytes, data);
  Safetensors contents;
  std::vector<Extent> extents;
  extents.reserve(header.size());
  for (const auto& [name, entry] : header.items()) {
    if (name == metadata_key) contents.metadata = parse_metadata(entry);
    else extents.push_back(parse_extent(name, entry, data.size()));
  }
  check_tiling(extents, data.size());
  contents.reserve(extents.size());
  for (Extent& e : extents) {
    StoredArray array = e.dtype->make(e.shape);
    std::visit([&](auto& a) {
      if (e.end == e.begin) return;
      char* values = reinterpret_cast<char*>(a.data());
      std::memcpy(values, data.data() + e.begin, e.end - e.begin);
      swap_if_big_endian(values, a.size(), e.dtype->width);
    }, array);
    contents.insert(std::move(e.name), std::move(array));
  }
  return contents;
}

std::string to_bytes(const Safetensors& contents) {
  // Written piece by piece, in the order of the data: one object of all entries would be slow to build.
  std::string text = "{";
  if (!contents.metadata.empty()) text += Json(metadata_key).dump() + ":" + Json(contents.metadata).dump() + ",";
  std::size_t offset = 0;
  for (const auto& [name, array] : contents) {
    const std::size_t size = byte_size(array);
    OrderedJson shape = OrderedJson::array();
    std::visit([&](const auto& a) {
      for (const auto dim : a.shape()) shape.push_back(static_cast<std::uint64_t>(dim));
    }, array);
    const OrderedJson entry{{"dtype", dtype_name(array)}, {"shape", shape},
                            {"data_offsets", OrderedJson::array({offset, offset + size})}};
    text += Json(name).dump() + ":" + entry.dump() + ",";
    offset += size;
  }
  if (text.back() == ',') text.back() = '}';
  else text += '}';
  text.append((8 - text.size() % 8) % 8, ' ');

  std::string out;
  out.reserve(length_bytes + text.size() + offset);
  for (std::size_t i = 0; i < length_bytes; ++i) out += static_cast<char>((text.size() >> (8 * i)) & 0xff);
  out += text;
  for (const auto& [name, array] : contents)
    std::visit([&](const auto& a) {
      const std::size_t at = out.size(), width = sizeof(Element<decltype(a)>);
      out.resize(at + a.size() * width);
      if (a.size()) std::memcpy(out.data() + at, a.data(), a.size() * width);
      swap_if_big_endian(out.data() + at, a.size(), width);
    }, array);
  return out;
}

}  // namespace

const char* dtype_name(const StoredArray& array) {
  static constexpr const char* names[] = {"F32", "F64", "I64"};
  return names[array.index()];
}

void Safetensors::insert(std::string name, StoredArray array) {
  if (name == metadata_key) throw Error("Safetensors: '__metadata__' is reserved and cannot name a tensor");
  if (contains(name)) throw Error("Safetensors: the tensor '" + name + "' is already present");
  index_.emplace(name, entries_.size());
  entries_.emplace_back(std::move(name), std::move(array));
}

void Safetensors::reserve(std::size_t count) {
  entries_.reserve(count);
  index_.reserve(count);
}

const StoredArray& Safetensors::at(const std::string& name) const {
  const auto it = index_.find(name);
  if (it == index_.end()) throw Error("Safetensors: no tensor '" + name + "'");
  return entries_[it->second].second;
}

template <class T>
const xt::xarray<T>& Safetensors::get(const std::string& name) const {
  const StoredArray& array = at(name);
  const auto* values = std::get_if<xt::xarray<T>>(&array);
  if (!values)
    throw Error("Safetensors: the tensor '" + name + "' is " + dtype_name(array) + ", not " +
                dtype_name(StoredArray(xt::xarray<T>())));
  return *values;
}

template const xt::xarray<float>& Safetensors::get(const std::string&) const;
template const xt::xarray<double>& Safetensors::get(const std::string&) const;
template const xt::xarray<std::int64_t>& Safetensors::get(const std::string&) const;

void write_safetensors(const std::string& path, const Safetensors& contents, const char* op) {
  std::string bytes;
  try {
    bytes = to_bytes(contents);
  } catch (const Json::exception& e) {
    throw Error(std::string(op) + ": " + path + ": cannot write the header: " + e.what());
  }
  write_atomically(path, bytes, op);
}

Safetensors read_safetensors(const std::string& path, const char* op) {
  return Parser(op, path).parse(read_file(path, op));
}

}  // namespace tg::nn
