// Words and numbers as the technician's console shows them: sizes in binary units ("256 MiB"),
// durations ("1 h 12 min") and the one-line summary of an erasure ("3 of 3 succeeded,
// 1 h 12 min"). Pure functions, safe from any thread.
#pragma once

#include <cstdint>
#include <string>

namespace kesu {

// `bytes` in IEC binary units (IEC 80000-13: KiB = 1024 B): "512 B", "1 KiB", "256 MiB",
// "1.5 GiB", "931.5 GiB" — one decimal, dropped when it is zero.
std::string HumanBytes(uint64_t bytes);

// A duration for people, to the second below an hour and to the minute above: "0 s", "42 s",
// "3 min 5 s", "1 h 12 min", "26 h 0 min".
std::string HumanDuration(uint64_t seconds);

// How many targets ended which way.
struct EraseTally {
  size_t total = 0;
  size_t succeeded = 0;    // erased, verified and certified as a success
  size_t failed = 0;       // failed, or succeeded without a certificate that says so
  size_t interrupted = 0;  // stopped by a signal
  size_t partial = 0;      // erased except for listed unwritable regions
};

// "3 of 3 succeeded, 1 h 12 min"; other outcomes follow the count when there are any:
// "1 of 3 succeeded, 1 failed, 1 interrupted, 4 min 10 s" (then "partial").
std::string SummaryLine(const EraseTally& t, uint64_t seconds);

}  // namespace kesu
