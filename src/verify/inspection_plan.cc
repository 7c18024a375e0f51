// The inspection plan: see inspection_plan.h.
#include "verify/inspection_plan.h"

#include <algorithm>

namespace kesu {
namespace {

uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// [offset, offset + length) widened to `align` boundaries and clipped to `size`.
Region Aligned(uint64_t offset, uint64_t length, uint64_t align, uint64_t size) {
  if (offset >= size) return {};
  uint64_t start = offset - offset % align;
  uint64_t end = std::min(size, offset + length);
  if (end % align != 0 && end != size) end = std::min(size, end + align - end % align);
  return {start, end - start};
}

std::vector<Region> Edges(const InspectionInput& in) {
  uint64_t a = in.align;
  uint64_t last = in.size > kInspectEdgeBytes ? in.size - kInspectEdgeBytes : 0;
  return NormalizeRegions(
      {Aligned(0, kInspectEdgeBytes, a, in.size), Aligned(last, in.size - last, a, in.size)});
}

std::vector<Region> Signatures(const InspectionInput& in) {
  std::vector<Region> v;
  for (uint64_t off : in.signature_offsets) {
    uint64_t start = off - off % kInspectSignatureBytes;
    v.push_back(Aligned(start, kInspectSignatureBytes, in.align, in.size));
  }
  // The backup GPT header sits in the medium's last logical block (UEFI 2.10, 5.3.2).
  if (in.gpt && in.size >= in.align) {
    v.push_back(Aligned(in.size - in.size % in.align - in.align, in.align, in.align, in.size));
  }
  return NormalizeRegions(std::move(v));
}

std::vector<Region> Partitions(const InspectionInput& in) {
  std::vector<Region> v;
  for (const Region& p : in.partitions) {
    v.push_back(Aligned(p.offset, std::min(p.length, kInspectPartitionBytes), in.align, in.size));
  }
  return NormalizeRegions(std::move(v));
}

// One region at a random aligned position inside each of `strata` equal slices.
std::vector<Region> Random(const InspectionInput& in) {
  std::vector<Region> v;
  uint64_t state = in.seed;
  const uint64_t region = std::max<uint64_t>(kInspectRegionBytes, in.align);
  for (uint32_t i = 0; i < in.strata; ++i) {
    uint64_t lo = in.size / in.strata * i;
    uint64_t hi = i + 1 == in.strata ? in.size : in.size / in.strata * (i + 1);
    uint64_t span = hi > lo + region ? hi - lo - region : 0;
    uint64_t off = lo + (span ? SplitMix64(&state) % (span + 1) : 0);
    off -= off % in.align;  // so the region is exactly `region` bytes
    v.push_back(Aligned(off, region, in.align, in.size));
  }
  return NormalizeRegions(std::move(v));
}

}  // namespace

InspectionPlan PlanInspection(const InspectionInput& in) {
  InspectionPlan p;
  p.seed = in.seed;
  if (in.size == 0) return p;
  if (in.size <= in.floor_bytes) {
    p.strata = 0;
    p.parts.push_back({"whole", PlanFull(in.size)});
    p.regions = PlanFull(in.size);
    return p;
  }
  p.strata = in.strata;
  p.parts.push_back({"edges", Edges(in)});
  p.parts.push_back({"signatures", Signatures(in)});
  p.parts.push_back({"partitions", Partitions(in)});
  p.parts.push_back({"random", Random(in)});
  std::vector<Region> all;
  for (const PlanPart& part : p.parts)
    all.insert(all.end(), part.regions.begin(), part.regions.end());
  p.regions = NormalizeRegions(std::move(all));
  return p;
}

}  // namespace kesu
