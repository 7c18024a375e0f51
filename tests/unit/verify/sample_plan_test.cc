#include "verify/sample_plan.h"

#include <gtest/gtest.h>

namespace kesu {
namespace {

constexpr uint64_t kMiB = 1 << 20;

void ExpectWellFormed(const std::vector<Region>& plan, uint64_t size, uint32_t align) {
  ASSERT_FALSE(plan.empty());
  for (size_t i = 0; i < plan.size(); ++i) {
    EXPECT_GT(plan[i].length, 0u);
    EXPECT_LE(plan[i].end(), size);
    EXPECT_EQ(plan[i].offset % align, 0u);
    if (i > 0) {
      EXPECT_GT(plan[i].offset, plan[i - 1].end()) << "regions overlap or touch";
    }
  }
}

bool Covers(const std::vector<Region>& plan, uint64_t from, uint64_t to) {
  for (const auto& r : plan) {
    if (r.offset <= from && r.end() >= to) return true;
  }
  return false;
}

TEST(SamplePlanTest, FullCoversEverything) {
  auto p = PlanFull(12345);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0], (Region{0, 12345}));
  EXPECT_TRUE(PlanFull(0).empty());
}

TEST(SamplePlanTest, CoversFirstAndLastMiBAndThePercentage) {
  for (uint64_t size :
       {uint64_t{64} * kMiB, uint64_t{1000} * kMiB + 512 * 3, uint64_t{10} * 1024 * kMiB}) {
    for (uint32_t pct : {1u, 5u, 10u, 50u, 90u}) {
      auto plan = PlanSample(size, pct, kMiB, 512, 42);
      ExpectWellFormed(plan, size, 512);
      EXPECT_TRUE(Covers(plan, 0, kMiB)) << size << " " << pct;
      EXPECT_TRUE(Covers(plan, size - kMiB, size)) << size << " " << pct;
      double got = 100.0 * static_cast<double>(PlanBytes(plan)) / static_cast<double>(size);
      // At least the percentage; at most one region and the first/last MiB more.
      EXPECT_GE(got, pct) << size;
      double slack = 100.0 * static_cast<double>(3 * kMiB) / static_cast<double>(size);
      EXPECT_LE(got, pct + slack + 0.01) << size << " " << pct;
    }
  }
}

TEST(SamplePlanTest, SpreadsOverTheWholeTarget) {
  const uint64_t size = 1024 * kMiB;
  auto plan = PlanSample(size, 10, kMiB, 512, 7);
  // Every tenth of the target holds sampled bytes.
  for (int i = 0; i < 10; ++i) {
    uint64_t a = size / 10 * i, b = size / 10 * (i + 1);
    bool hit = false;
    for (const auto& r : plan) hit |= r.offset < b && r.end() > a;
    EXPECT_TRUE(hit) << "tenth " << i;
  }
}

TEST(SamplePlanTest, DeterministicPerSeedAndDiffersAcrossSeeds) {
  const uint64_t size = 512 * kMiB;
  EXPECT_EQ(PlanSample(size, 10, kMiB, 512, 1), PlanSample(size, 10, kMiB, 512, 1));
  EXPECT_NE(PlanSample(size, 10, kMiB, 512, 1), PlanSample(size, 10, kMiB, 512, 2));
}

TEST(SamplePlanTest, SmallTargetsAndHundredPercentAreFull) {
  EXPECT_EQ(PlanSample(2 * kMiB, 10, kMiB, 512, 1), PlanFull(2 * kMiB));
  EXPECT_EQ(PlanSample(100 * kMiB, 100, kMiB, 512, 1), PlanFull(100 * kMiB));
}

TEST(SamplePlanTest, LargeRegionsForRotationalMedia) {
  const uint64_t size = 4096 * kMiB;
  auto plan = PlanSample(size, 5, 64 * kMiB, 4096, 3);
  ExpectWellFormed(plan, size, 4096);
  EXPECT_LE(plan.size(), 2 + (size / 20) / (64 * kMiB) + 2);
}

TEST(SamplePlanTest, NormalizeMergesTouchingRegions) {
  auto r = NormalizeRegions({{10, 5}, {0, 10}, {30, 1}, {12, 2}});
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0], (Region{0, 15}));
  EXPECT_EQ(r[1], (Region{30, 1}));
}

// Every region is whole logical blocks (a direct read of a partial block fails), except that
// the last may end at an unaligned end of the target; also at high percentages, where the
// shortfall is filled from the gaps.
TEST(SamplePlanTest, EveryRegionIsWholeBlocksAtEveryPercentage) {
  for (uint32_t align : {512u, 4096u}) {
    for (uint64_t size : {uint64_t{64} * kMiB, uint64_t{64} * kMiB + 7 * 512,
                          uint64_t{37} * kMiB + 4096 * 3, uint64_t{3} * kMiB + 512}) {
      for (uint32_t pct = 1; pct <= 100; ++pct) {
        auto plan = PlanSample(size, pct, kMiB, align, 11 + pct);
        ExpectWellFormed(plan, size, align);
        for (const Region& r : plan) {
          EXPECT_TRUE(r.end() % align == 0 || r.end() == size)
              << "size " << size << " align " << align << " sample:" << pct << ": region ["
              << r.offset << ", " << r.end() << ") ends inside a block";
        }
        EXPECT_GE(PlanBytes(plan) * 100, size * pct) << size << " " << pct;
      }
    }
  }
}

}  // namespace
}  // namespace kesu
