// The return check's comparison and the fingerprint/return-check bodies: changed regions named
// by the filesystem or partition they lie in, contents added, sampled references, identities.
#include "verify/return_check.h"

#include <gtest/gtest.h>

#include "crypto/sha256.h"
#include "verify/fingerprint.h"
#include "verify/region_digest.h"

namespace kesu {
namespace {

constexpr uint64_t kMiB = 1 << 20;

LeafSidecar Leaves(uint64_t size, std::vector<uint64_t> indexes, unsigned char fill = 1) {
  LeafSidecar s{size, kMiB, {}};
  for (uint64_t i : indexes) {
    RegionLeaf l;
    l.index = i;
    l.sha.fill(fill);
    l.sha[0] = static_cast<unsigned char>(i);
    s.leaves.push_back(l);
  }
  return s;
}

std::vector<uint64_t> All(uint64_t n) {
  std::vector<uint64_t> v;
  for (uint64_t i = 0; i < n; ++i) v.push_back(i);
  return v;
}

TEST(CompareLeavesTest, SameLeavesAreUnchanged) {
  LeafComparison c = CompareLeaves(Leaves(8 * kMiB, All(8)), Leaves(8 * kMiB, All(8)));
  EXPECT_TRUE(c.changed.empty());
  EXPECT_EQ(c.regions_compared, 8u);
  EXPECT_EQ(c.regions_not_covered, 0u);
  EXPECT_FALSE(c.size_changed);
}

TEST(CompareLeavesTest, ChangedRegionsAreMergedRanges) {
  LeafSidecar now = Leaves(8 * kMiB, All(8));
  now.leaves[2].sha[5] ^= 1;
  now.leaves[3].sha[5] ^= 1;
  now.leaves[6].sha[5] ^= 1;
  LeafComparison c = CompareLeaves(Leaves(8 * kMiB, All(8)), now);
  EXPECT_EQ(c.changed, (std::vector<Region>{{2 * kMiB, 2 * kMiB}, {6 * kMiB, kMiB}}));
}

TEST(CompareLeavesTest, ASampledReferenceComparesOnlyItsRegions) {
  LeafSidecar now = Leaves(8 * kMiB, All(8));
  now.leaves[4].sha[5] ^= 1;  // not in the reference: not compared
  now.leaves[7].sha[5] ^= 1;  // in it: changed
  LeafComparison c = CompareLeaves(Leaves(8 * kMiB, {0, 3, 7}), now);
  EXPECT_EQ(c.changed, (std::vector<Region>{{7 * kMiB, kMiB}}));
  EXPECT_EQ(c.regions_compared, 3u);
  EXPECT_EQ(c.regions_not_covered, 5u);
}

TEST(CompareLeavesTest, AGrownTargetChangesTheNewRegions) {
  LeafComparison c = CompareLeaves(Leaves(4 * kMiB, All(4)), Leaves(5 * kMiB + 10, All(6)));
  EXPECT_TRUE(c.size_changed);
  EXPECT_EQ(c.changed, (std::vector<Region>{{4 * kMiB, kMiB + 10}}));
}

MediumLayout Ext4Image() {
  MediumLayout d;
  d.fstype = "ext4";
  d.label = "DATA";
  d.uuid = "u-1";
  d.signatures = {{"filesystem", "ext4", 1080, 2, 0}};
  return d;
}

TEST(ContentItemsTest, NameTableFilesystemsPartitionsAndSignatures) {
  MediumLayout d;
  d.pttype = "dos";
  d.ptuuid = "abcd";
  d.partitions.push_back({});
  d.partitions[0].number = 1;
  d.partitions[0].offset = kMiB;
  d.partitions[0].size = 8 * kMiB;
  d.partitions[0].fstype = "vfat";
  d.signatures = {{"partition-table", "dos", 510, 2, 0}};
  EXPECT_EQ(ContentItems(d),
            (std::vector<std::string>{"partition-table dos, id abcd",
                                      "partition 1 at 1048576 (+8388608 bytes): vfat",
                                      "signature dos (partition-table) at 510"}));
  EXPECT_EQ(RegionWithin(d, {2 * kMiB, kMiB}), "partition 1 (vfat)");
  EXPECT_EQ(RegionWithin(d, {20 * kMiB, kMiB}), "outside any partition");
  EXPECT_EQ(RegionWithin(Ext4Image(), {20 * kMiB, kMiB}),
            "the ext4, label DATA, UUID u-1 filesystem on the whole medium");
  EXPECT_EQ(RegionWithin(MediumLayout{}, {0, 1}), "");
}

VerificationRecord Read(const LeafSidecar& s) {
  VerificationRecord v;
  v.digest_target_bytes = s.target_bytes;
  v.digest_region_bytes = s.region_bytes;
  v.leaves = s.leaves;
  v.bytes_read = s.target_bytes;
  v.content_sha256 = SidecarRoot(s);
  return v;
}

TEST(CheckReturnTest, FingerprintThenAFileWrittenIsChangedNamingRegionAndFilesystem) {
  MediumLayout dev = Ext4Image();
  LeafSidecar before = Leaves(64 * kMiB, All(64));
  VerificationRecord fp = Read(before);
  auto gz = EncodeLeafSidecar(fp);
  ASSERT_TRUE(gz.ok());
  nlohmann::json doc = {
      {"kind", "fingerprint"},
      {"id", "fp-1"},
      {"body", FingerprintBody(dev, fp, "fp.json.leaves.gz", Sha256::HexOf(gz->data(), gz->size()),
                               std::nullopt)}};
  EXPECT_EQ(doc["body"]["write_counters"]["source"], "not-recorded");
  EXPECT_EQ(doc["body"]["content_sha256"], SidecarRoot(before));
  auto ref = ReferenceFromFingerprint(doc, *gz, 64);
  ASSERT_TRUE(ref.ok()) << ref.status().message();
  EXPECT_EQ(ref->document_id, "fp-1");

  ReturnCheckOutcome same = CheckReturn(*ref, dev, Read(before));
  EXPECT_EQ(same.result, "unchanged");
  EXPECT_TRUE(same.body["changed_regions"].empty());

  LeafSidecar now = before;
  now.leaves[33].sha[9] ^= 1;
  ReturnCheckOutcome changed = CheckReturn(*ref, dev, Read(now));
  EXPECT_EQ(changed.result, "changed");
  ASSERT_EQ(changed.body["changed_regions"].size(), 1u);
  EXPECT_EQ(changed.body["changed_regions"][0]["offset"], 33 * kMiB);
  EXPECT_EQ(changed.body["changed_regions"][0]["end"], 34 * kMiB);
  EXPECT_NE(changed.body["changed_regions"][0]["within"].get<std::string>().find("ext4"),
            std::string::npos);
  EXPECT_EQ(changed.body["against"]["document_id"], "fp-1");
}

TEST(CheckReturnTest, AFilesystemAddedAfterAnErasureIsNamed) {
  ReturnReference ref;
  ref.kind = "erasure-sidecar";
  ref.leaves = Leaves(64 * kMiB, All(64));
  MediumLayout dev = Ext4Image();
  ReturnCheckOutcome o = CheckReturn(ref, dev, Read(ref.leaves));
  EXPECT_EQ(o.result, "changed");  // same leaves, but a filesystem is there now
  ASSERT_FALSE(o.added.empty());
  EXPECT_EQ(o.added[0], "filesystem ext4, label DATA, UUID u-1 on the whole medium");
}

TEST(CheckReturnTest, LeavesThatAreNotTheSignedOnesAreRefused) {
  VerificationRecord fp = Read(Leaves(4 * kMiB, All(4)));
  auto gz = EncodeLeafSidecar(fp);
  nlohmann::json doc = {
      {"kind", "fingerprint"},
      {"body", FingerprintBody(Ext4Image(), fp, "x", std::string(64, '0'), std::nullopt)}};
  EXPECT_EQ(ReferenceFromFingerprint(doc, *gz, 4).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(ReferenceFromFingerprint({{"kind", "inspection"}}, *gz, 4).status().code(),
            Code::kInvalidArgument);
}

TEST(WriteCountersTest, MeasuredOnlyWhenTheDriveReportsThem) {
  EXPECT_EQ(WriteCountersJson(std::nullopt)["source"], "not-recorded");
  EXPECT_EQ(WriteCountersJson(DriveHealth{})["source"], "not-recorded");
  DriveHealth h;
  h.data_units_written = 1234;
  nlohmann::json j = WriteCountersJson(h);
  EXPECT_EQ(j["source"], "measured");
  EXPECT_EQ(j["value"]["data_units_written"], 1234);
}

}  // namespace
}  // namespace kesu
