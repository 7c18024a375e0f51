// Verification plans: see sample_plan.h.
#include "verify/sample_plan.h"

#include <algorithm>

namespace kesu {
namespace {

constexpr uint64_t kMiB = 1 << 20;

uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

}  // namespace

std::vector<Region> PlanFull(uint64_t size) {
  if (size == 0) return {};
  return {Region{0, size}};
}

uint64_t PlanBytes(const std::vector<Region>& plan) {
  uint64_t n = 0;
  for (const auto& r : plan) n += r.length;
  return n;
}

std::vector<Region> NormalizeRegions(std::vector<Region> regions) {
  std::sort(regions.begin(), regions.end(),
            [](const Region& a, const Region& b) { return a.offset < b.offset; });
  std::vector<Region> out;
  for (const auto& r : regions) {
    if (r.length == 0) continue;
    if (!out.empty() && r.offset <= out.back().end()) {
      uint64_t end = std::max(out.back().end(), r.end());
      out.back().length = end - out.back().offset;
    } else {
      out.push_back(r);
    }
  }
  return out;
}

std::vector<Region> PlanSample(uint64_t size, uint32_t percent, uint64_t region_bytes,
                               uint32_t align, uint64_t seed) {
  if (percent >= 100 || size <= 2 * kMiB) return PlanFull(size);
  if (align == 0) align = 512;
  if (region_bytes < align) region_bytes = align;
  region_bytes = region_bytes / align * align;
  auto down = [&](uint64_t x) { return x / align * align; };
  // Rounded up to whole blocks, but never past the end of the target.
  auto up = [&](uint64_t x) { return std::min(size, (x + align - 1) / align * align); };

  std::vector<Region> regions;
  regions.push_back({0, kMiB});
  uint64_t last_start = down(size - kMiB);
  regions.push_back({last_start, size - last_start});

  // Budget beyond the first and last MiB, in whole regions (at least one of each kind).
  // ceil(size * pct%), in whole logical blocks: a direct read of a partial block fails.
  uint64_t want =
      up(static_cast<uint64_t>((static_cast<unsigned __int128>(size) * percent + 99) / 100));
  uint64_t fixed = kMiB + (size - last_start);
  uint64_t budget = want > fixed ? want - fixed : 0;
  uint64_t count = (budget + region_bytes - 1) / region_bytes;
  uint64_t even = (count + 1) / 2, random = count / 2;
  uint64_t span = size > region_bytes ? size - region_bytes : 0;  // last possible start

  for (uint64_t i = 0; i < even; ++i) {
    // Centre of the i-th of `even` equal slices.
    uint64_t start = down(span / even * i + span / even / 2);
    regions.push_back({start, std::min(region_bytes, size - start)});
  }
  uint64_t state = seed;
  for (uint64_t i = 0; i < random; ++i) {
    uint64_t start = span == 0 ? 0 : down(SplitMix64(&state) % span);
    regions.push_back({start, std::min(region_bytes, size - start)});
  }
  std::vector<Region> plan = NormalizeRegions(std::move(regions));

  // Random regions may overlap others; top up with more random regions, in batches sized to
  // the shortfall, until the budget is met (a few rounds at most).
  uint64_t covered = PlanBytes(plan);
  for (int round = 0; round < 8 && covered < want; ++round) {
    uint64_t extra = (want - covered + region_bytes - 1) / region_bytes;
    for (uint64_t i = 0; i < extra; ++i) {
      uint64_t start = span == 0 ? 0 : down(SplitMix64(&state) % span);
      plan.push_back({start, std::min(region_bytes, size - start)});
    }
    plan = NormalizeRegions(std::move(plan));
    covered = PlanBytes(plan);
  }
  // At high percentages random draws mostly land on sampled ground: fill the remaining
  // shortfall from the gaps, one region per gap in turn, so it stays spread out. Gaps lie
  // between block-aligned ends and starts, and each piece is a whole number of blocks.
  while (covered < want) {
    std::vector<Region> more;
    uint64_t prev_end = 0;
    for (const Region& r : plan) {
      if (covered >= want) break;
      if (r.offset > prev_end) {
        uint64_t n = std::min({region_bytes, r.offset - prev_end, up(want - covered)});
        more.push_back({prev_end, n});
        covered += n;
      }
      prev_end = r.end();
    }
    if (more.empty()) break;
    more.insert(more.end(), plan.begin(), plan.end());
    plan = NormalizeRegions(std::move(more));
    covered = PlanBytes(plan);
  }
  return plan;
}

}  // namespace kesu
