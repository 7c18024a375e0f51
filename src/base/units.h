// Sizes in binary units for people: one scaling rule for every place kesu shows a size; and
// whole numbers with their digits grouped.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>

namespace kesu {

enum class SizeStyle {
  kWords,  // "512 B", "1.5 GiB", "256 MiB" (prompts, summaries, progress)
  kShort,  // "512B", "1.5G", "256M", as lsblk prints them (the `kesu list` table)
};

// `bytes` divided by 1024 until below 1024 (up to EiB), with one decimal that is dropped
// when it is 0; bytes below 1024 are shown whole.
std::string FormatBinarySize(uint64_t bytes, SizeStyle style);

// `n` with a comma between groups of three digits: "1,000,204,886,016".
std::string GroupDigits(uint64_t n);

}  // namespace kesu
