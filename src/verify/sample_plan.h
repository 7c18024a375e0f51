// Verification plans: which byte ranges of a target the verifier reads. Pure functions (no
// I/O), unit-tested for coverage, the first and last MiB, and the sampled percentage.
#pragma once

#include <cstdint>
#include <vector>

namespace kesu {

// A byte range [offset, offset + length).
struct Region {
  uint64_t offset = 0;
  uint64_t length = 0;
  uint64_t end() const { return offset + length; }
  bool operator==(const Region&) const = default;
};

// The whole target: one region [0, size) (empty when size is 0).
std::vector<Region> PlanFull(uint64_t size);

// A sample of about `percent` (1..100) of a target of `size` bytes:
// - always the first and the last MiB (the whole target when it is 2 MiB or smaller);
// - half of the remaining budget in regions of `region_bytes` spread evenly over the target;
// - the other half in regions at random positions drawn from `seed` (a SplitMix64 sequence,
//   so the same seed gives the same plan);
// Every region starts and ends on a multiple of `align` (the logical block size; a power of
// two), so a direct read of it is valid, except that the last region may end exactly at a
// `size` that is not a multiple of `align` (that tail is read through a buffered handle). The
// result is sorted, non-overlapping, merged where regions touch, and covers at least percent% of
// size (at most one region more, plus the first/last MiB). percent >= 100 is PlanFull.
std::vector<Region> PlanSample(uint64_t size, uint32_t percent, uint64_t region_bytes,
                               uint32_t align, uint64_t seed);

// Total bytes covered by `plan`.
uint64_t PlanBytes(const std::vector<Region>& plan);

// Sorts, and merges overlapping or touching regions.
std::vector<Region> NormalizeRegions(std::vector<Region> regions);

}  // namespace kesu
