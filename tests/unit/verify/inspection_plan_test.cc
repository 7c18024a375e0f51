// The inspection plan: what must always be read, the random part's spread and seed, the floor.
#include "verify/inspection_plan.h"

#include <gtest/gtest.h>

namespace kesu {
namespace {

constexpr uint64_t kMiB = 1 << 20;
constexpr uint64_t kGiB = kMiB << 10;

bool Covers(const std::vector<Region>& plan, uint64_t offset, uint64_t length) {
  for (const Region& r : plan) {
    if (r.offset <= offset && offset + length <= r.end()) return true;
  }
  return false;
}

bool Touches(const std::vector<Region>& plan, uint64_t offset, uint64_t length) {
  for (const Region& r : plan) {
    if (r.offset < offset + length && offset < r.end()) return true;
  }
  return false;
}

const PlanPart* Part(const InspectionPlan& p, const std::string& name) {
  for (const PlanPart& part : p.parts) {
    if (part.name == name) return &part;
  }
  return nullptr;
}

InspectionInput Input(uint64_t size, uint64_t seed = 7) {
  InspectionInput in;
  in.size = size;
  in.seed = seed;
  return in;
}

TEST(InspectionPlanTest, ReadsTheFirstAndLastMiB) {
  InspectionPlan p = PlanInspection(Input(100 * kGiB + 512));
  EXPECT_TRUE(Covers(p.regions, 0, kMiB));
  EXPECT_TRUE(Covers(p.regions, 100 * kGiB + 512 - kMiB, kMiB));
  ASSERT_NE(Part(p, "edges"), nullptr);
  EXPECT_EQ(PlanBytes(Part(p, "edges")->regions), 2 * kMiB);
}

TEST(InspectionPlanTest, ReadsEverySignatureAndTheGptBackupHeader) {
  InspectionInput in = Input(500 * kGiB);
  in.gpt = true;
  in.signature_offsets = {512, 300 * kGiB + 1080, 400 * kGiB + 65600};
  InspectionPlan p = PlanInspection(in);
  for (uint64_t off : in.signature_offsets) EXPECT_TRUE(Covers(p.regions, off, 8)) << off;
  EXPECT_TRUE(Covers(Part(p, "signatures")->regions, 300 * kGiB, 64 << 10));
  EXPECT_TRUE(Covers(Part(p, "signatures")->regions, 500 * kGiB - 512, 512));
}

TEST(InspectionPlanTest, ReadsTheStartOfEveryPartition) {
  InspectionInput in = Input(500 * kGiB);
  in.partitions = {{kMiB, 100 * kGiB}, {100 * kGiB + kMiB, 200 * kGiB}, {450 * kGiB, 4096}};
  InspectionPlan p = PlanInspection(in);
  EXPECT_TRUE(Covers(Part(p, "partitions")->regions, kMiB, kMiB));
  EXPECT_TRUE(Covers(Part(p, "partitions")->regions, 100 * kGiB + kMiB, kMiB));
  EXPECT_TRUE(Covers(Part(p, "partitions")->regions, 450 * kGiB, 4096));
  EXPECT_FALSE(Touches(Part(p, "partitions")->regions, 450 * kGiB + 4096, 1));
}

TEST(InspectionPlanTest, RandomPartHasOneRegionPerSliceAndFollowsTheSeed) {
  const uint64_t size = 1 * kGiB;
  InspectionPlan a = PlanInspection(Input(size, 1));
  InspectionPlan b = PlanInspection(Input(size, 1));
  InspectionPlan c = PlanInspection(Input(size, 2));
  EXPECT_EQ(a.regions, b.regions);
  EXPECT_NE(Part(a, "random")->regions, Part(c, "random")->regions);
  EXPECT_EQ(a.strata, kInspectStrata);
  EXPECT_EQ(a.seed, 1u);
  // Every slice of size / strata holds sampled bytes.
  for (uint32_t i = 0; i < kInspectStrata; ++i) {
    EXPECT_TRUE(
        Touches(Part(a, "random")->regions, size / kInspectStrata * i, size / kInspectStrata))
        << i;
  }
  EXPECT_LE(PlanBytes(Part(a, "random")->regions), kInspectStrata * kInspectRegionBytes);
  EXPECT_GT(PlanBytes(Part(a, "random")->regions), kInspectStrata * kInspectRegionBytes * 9 / 10);
}

// Any contiguous extent of two slices' length is read, whatever the seed and wherever it lies:
// 8 MiB of data in the middle of 1 GiB (2 slices of 1 MiB would do) is always found.
TEST(InspectionPlanTest, DataInTheMiddleIsAlwaysSampled) {
  for (uint64_t seed = 1; seed <= 50; ++seed) {
    InspectionPlan p = PlanInspection(Input(kGiB, seed));
    EXPECT_TRUE(Touches(Part(p, "random")->regions, kGiB / 2 - 4 * kMiB, 8 * kMiB)) << seed;
    for (uint64_t off = 3 * kMiB; off < kGiB - 4 * kMiB; off += 97 * kMiB) {
      EXPECT_TRUE(Touches(p.regions, off, 2 * kGiB / kInspectStrata)) << seed << " " << off;
    }
  }
}

TEST(InspectionPlanTest, SmallMediaAreReadWhole) {
  InspectionPlan p = PlanInspection(Input(64 * kMiB));
  ASSERT_EQ(p.parts.size(), 1u);
  EXPECT_EQ(p.parts[0].name, "whole");
  EXPECT_EQ(p.regions, PlanFull(64 * kMiB));
  InspectionPlan q = PlanInspection(Input(64 * kMiB + 4096));
  EXPECT_EQ(q.parts.size(), 4u);
  InspectionPlan r = PlanInspection(Input(128 * kMiB));
  EXPECT_LT(PlanBytes(r.regions), 128 * kMiB);
}

TEST(InspectionPlanTest, RegionsAreAlignedSortedAndWithinTheMedium) {
  InspectionInput in = Input(100 * kGiB + 4096 * 3);
  in.align = 4096;
  in.gpt = true;
  in.signature_offsets = {1080, 100 * kGiB + 4096 * 3 - 100};
  in.partitions = {{kMiB + 4096, 10 * kGiB}};
  in.strata = kInspectStrataRotational;
  InspectionPlan p = PlanInspection(in);
  uint64_t prev_end = 0;
  for (const Region& r : p.regions) {
    EXPECT_EQ(r.offset % 4096, 0u);
    EXPECT_EQ(r.end() % 4096, 0u);
    EXPECT_LE(r.end(), in.size);
    EXPECT_GE(r.offset, prev_end);
    prev_end = r.end();
  }
  EXPECT_EQ(p.strata, kInspectStrataRotational);
  // A few seconds at most: the whole plan stays small on a large medium.
  EXPECT_LT(PlanBytes(p.regions), 24 * kMiB);
}

TEST(InspectionPlanTest, EmptyMediumHasAnEmptyPlan) {
  EXPECT_TRUE(PlanInspection(Input(0)).regions.empty());
}

}  // namespace
}  // namespace kesu
