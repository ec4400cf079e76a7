#pragma once
// What every libFuzzer harness of tests/fuzz/ is made of. A harness is one file, fuzz_<name>.cpp,
// that defines the two functions below; harness.cpp turns them into a libFuzzer target, and
// scripts/fuzz.sh lists the names it builds and runs.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace tg::fuzz {

// Reads `input` with the reader under test. A tg::Error is what bad input should give; any
// other exception, a crash, a leak, a hang or an outsized allocation is a finding.
void read_input(std::string_view input);

// Writes the seed corpus into `dir`: valid files, made by the project's own writers where it has
// them, one per case (scripts/fuzz.sh runs the harness with TAPEGRAD_FUZZ_SEEDS=dir for this).
void write_seeds(const std::filesystem::path& dir);

// For harnesses: a path that reads as `bytes` (a file in memory, rewritten on each call).
std::string input_file(std::string_view bytes);
// `bytes` gzip-compressed, as a .gz file holds them.
std::string gzip(std::string_view bytes);
// Writes one seed, `dir`/`name`.
void write_seed(const std::filesystem::path& dir, const std::string& name, std::string_view bytes);
// An IDX file of unsigned bytes: the magic (2051 images, 2049 labels), its sizes, big-endian, then `payload`.
std::string idx_file(std::uint32_t magic, std::initializer_list<std::uint32_t> sizes, std::string_view payload);
// The whole file, for seeds that copy files of tests/data.
std::string file_bytes(const std::filesystem::path& path);
// Stops the fuzzer with a finding: a property of the reader that does not hold.
[[noreturn]] void violated(const std::string& property);

}  // namespace tg::fuzz
