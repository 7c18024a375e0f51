// The inspection plan: which byte ranges `kesu inspect` (and the inspection an erasure makes
// before its first write) reads to decide whether a medium still holds data. Pure functions (no
// I/O), unit-tested; the numbers and why they were chosen are in docs/verification.md,
// "Inspection".
//
// The plan is the union of five parts, each kept apart so the report can count what each found:
//   edges       the first and the last MiB (boot code, MBR, primary GPT and, in the last LBA,
//               the backup GPT header; the metadata of RAID and volume managers at the end);
//   signatures  a 64 KiB window around every partition-table and superblock magic libblkid
//               found (devices/contents.h ContentSignature), plus the last logical block when
//               the table is GPT (its backup header, UEFI 2.10 section 5.3.2);
//   partitions  the first MiB of every partition (boot sector, superblock, journal head);
//   random      one region of kInspectRegionBytes at a random position in each of `strata`
//               equal slices of the medium (stratified: spread over the whole medium, and
//               random within each slice), positions drawn from `seed` (SplitMix64);
//   floor       media no larger than kInspectFloorBytes are read whole.
// Every region starts on a multiple of `align` and ends on one (or at `size`).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "verify/sample_plan.h"

namespace kesu {

inline constexpr uint64_t kInspectEdgeBytes = 1 << 20;        // first / last MiB
inline constexpr uint64_t kInspectSignatureBytes = 64 << 10;  // window around a magic
inline constexpr uint64_t kInspectPartitionBytes = 1 << 20;   // head of each partition
inline constexpr uint64_t kInspectRegionBytes = 64 << 10;     // one random region
inline constexpr uint32_t kInspectStrata = 1024;              // random regions (solid state)
inline constexpr uint32_t kInspectStrataRotational = 256;     // random regions (a disk head)
inline constexpr uint64_t kInspectFloorBytes = 64ull << 20;   // read whole up to this size

// What the plan is made from: the medium and what libblkid found on it.
struct InspectionInput {
  uint64_t size = 0;
  uint32_t align = 512;  // logical block size, a power of two
  bool gpt = false;      // the partition table is GPT: read its backup header too
  std::vector<uint64_t> signature_offsets;  // magic offsets (ContentSignature::offset)
  std::vector<Region> partitions;           // each partition's [offset, offset + size)
  uint64_t seed = 0;                        // the random part's seed (recorded)
  uint32_t strata = kInspectStrata;         // number of random regions
  uint64_t floor_bytes = kInspectFloorBytes;
};

// One part of the plan (normalized regions) and its name: "edges", "signatures",
// "partitions", "random" or "whole" (the floor).
struct PlanPart {
  std::string name;
  std::vector<Region> regions;
};

struct InspectionPlan {
  uint64_t seed = 0;
  uint32_t strata = 0;
  std::vector<PlanPart> parts;  // in the order above; "whole" alone when the floor applies
  std::vector<Region> regions;  // the union, sorted and merged: what is read
};

// The plan for `in` (see the header comment). Regions past `size` are clipped; an empty
// medium has an empty plan.
InspectionPlan PlanInspection(const InspectionInput& in);

}  // namespace kesu
