// kesu verify / kesu inspect on in-memory and fault-injecting devices.
#include "verify/standalone.h"

#include <gtest/gtest.h>

#include "crypto/sha256.h"
#include "support/fault_env.h"
#include "support/mem_env.h"
#include "support/region_digest_ref.h"

namespace kesu {
namespace {

constexpr char kDev[] = "/dev/memdisk";
constexpr uint64_t kMiB = 1 << 20;

DeviceInfo Dev(uint64_t size) {
  DeviceInfo d;
  d.path = kDev;
  d.name = "memdisk";
  d.size = size;
  return d;
}

TEST(ExpectedFillTest, Parses) {
  EXPECT_EQ(ParseExpectedFill("zero")->kind, Pattern::Kind::kZero);
  EXPECT_EQ(ParseExpectedFill("one")->kind, Pattern::Kind::kOne);
  auto b = ParseExpectedFill("0x5a");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->bytes, std::vector<uint8_t>{0x5A});
  EXPECT_FALSE(ParseExpectedFill("0x5").ok());
  EXPECT_FALSE(ParseExpectedFill("random").ok());
  EXPECT_EQ(ParseExpectedFill("x").status().ExitCode(), 2);
}

TEST(VerifyTargetTest, MatchesAndDigestsTheWholeContent) {
  MemEnv env;
  auto d = env.AddDevice(kDev, 5 * kMiB + 100, std::byte{0x5A});
  auto v = VerifyTarget(&env, Dev(d->data.size()), *ParseExpectedFill("0x5A"), {});
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(v->bytes_read, d->data.size());
  EXPECT_EQ(v->bytes_planned, d->data.size());
  EXPECT_EQ(v->mismatched_bytes, 0u);
  EXPECT_EQ(v->mode, "full");
  EXPECT_EQ(v->content_sha256, ReferenceRegionDigest(d->data));
}

TEST(VerifyTargetTest, ReportsMismatchesAndUnreadableOffsets) {
  MemEnv mem;
  FaultInjectionEnv env(&mem);
  auto d = mem.AddDevice(kDev, 4 * kMiB, std::byte{0});
  d->data[3 * kMiB + 7] = std::byte{1};
  env.AddRule({FaultRule::Kind::kFailRead, kDev, kMiB + 4096, 1});
  auto v = VerifyTarget(&env, Dev(d->data.size()), *ParseExpectedFill("zero"), {});
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->mismatched_bytes, 1u);
  ASSERT_EQ(v->first_mismatches.size(), 1u);
  EXPECT_EQ(v->first_mismatches[0], 3 * kMiB + 7);
  ASSERT_EQ(v->unreadable.size(), 1u);
  EXPECT_EQ(v->unreadable[0].offset, kMiB + 4096);
  EXPECT_EQ(v->bytes_read, 4 * kMiB - 512);
}

TEST(VerifyTargetTest, SampleReadsThePlan) {
  MemEnv env;
  env.AddDevice(kDev, 100 * kMiB, std::byte{0xFF});
  ReadOnlyOptions o;
  o.sample_percent = 5;
  o.seed = 3;
  auto v = VerifyTarget(&env, Dev(100 * kMiB), *ParseExpectedFill("one"), o);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->mode, "sample:5");
  EXPECT_EQ(v->bytes_read, v->bytes_planned);
  EXPECT_GE(v->bytes_planned, 5 * kMiB);
  EXPECT_LT(v->bytes_planned, 9 * kMiB);
}

TEST(VerifyTargetTest, StopFlagInterrupts) {
  MemEnv env;
  env.AddDevice(kDev, 8 * kMiB);
  std::atomic<bool> stop{true};
  ReadOnlyOptions o;
  o.stop = &stop;
  auto v = VerifyTarget(&env, Dev(8 * kMiB), *ParseExpectedFill("zero"), o);
  EXPECT_EQ(v.status().code(), Code::kInterrupted);
}

TEST(InspectTest, UniformTargetAppearsErased) {
  MemEnv env;
  auto d = env.AddDevice(kDev, 16 * kMiB, std::byte{0});
  std::fill(d->data.begin() + 8 * kMiB, d->data.begin() + 9 * kMiB, std::byte{0xFF});
  InspectOptions o;
  o.sample_percent = 100;  // full read
  auto r = InspectTarget(&env, Dev(16 * kMiB), o);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->appears_erased) << r->verdict;
  EXPECT_EQ(r->blocks, 16 * kMiB / 4096);
  EXPECT_EQ(r->one_blocks, kMiB / 4096);
  EXPECT_EQ(r->zero_blocks, 15 * kMiB / 4096);
  EXPECT_EQ(r->nonuniform_blocks, 0u);
  EXPECT_NE(r->verdict.find("appears erased"), std::string::npos);
}

TEST(InspectTest, DataAndSignaturesMeanNotErased) {
  MemEnv env;
  auto d = env.AddDevice(kDev, 16 * kMiB, std::byte{0});
  d->data[10 * 4096 + 17] = std::byte{0x42};  // one block of "data" in the first MiB
  InspectOptions o;
  o.sample_percent = 10;
  auto r = InspectTarget(&env, Dev(16 * kMiB), o);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->appears_erased);
  EXPECT_EQ(r->nonuniform_blocks, 1u);
  ASSERT_EQ(r->first_nonuniform.size(), 1u);
  EXPECT_EQ(r->first_nonuniform[0], 10u * 4096);
  EXPECT_GT(r->nonuniform_ppm, 0u);
  EXPECT_EQ(r->bytes_read, r->bytes_planned);

  d->data[10 * 4096 + 17] = std::byte{0};
  DeviceInfo with_sig = Dev(16 * kMiB);
  with_sig.pttype = "gpt";
  auto r2 = InspectTarget(&env, with_sig, o);
  ASSERT_TRUE(r2.ok());
  EXPECT_FALSE(r2->appears_erased);
  EXPECT_EQ(r2->signatures, std::vector<std::string>{"pttype:gpt"});
}

// The default plan on a medium above the floor: a partition table, and 8 MiB of non-uniform
// data in the middle that neither the edges nor the partition start reach. The random part
// finds it, and the report says which part did.
TEST(InspectTest, DefaultPlanFindsDataInTheMiddle) {
  MemEnv env;
  const uint64_t size = 128 * kMiB;
  auto d = env.AddDevice(kDev, size, std::byte{0});
  for (uint64_t i = 60 * kMiB; i < 68 * kMiB; ++i) d->data[i] = std::byte(i * 131 % 251 + 1);
  d->data[510] = std::byte{0x55};
  d->data[511] = std::byte{0xAA};
  DeviceInfo dev = Dev(size);
  dev.pttype = "dos";
  MediumLayout layout;
  layout.pttype = "dos";
  layout.signatures = {{"partition-table", "dos", 510, 2, 0}};
  layout.partitions = {{1, kMiB, size - kMiB, "", "", ""}};
  InspectOptions o;
  o.seed = 99;
  o.layout = &layout;
  auto r = InspectTarget(&env, dev, o);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->plan, "default");
  EXPECT_EQ(r->seed, 99u);
  EXPECT_EQ(r->result, "holds-data");
  EXPECT_NE(r->verdict.find("holds data"), std::string::npos);
  EXPECT_LT(r->bytes_planned, size);
  EXPECT_EQ(r->bytes_read, r->bytes_planned);
  ASSERT_EQ(r->parts.size(), 4u);
  EXPECT_EQ(r->parts[0].name, "edges");
  EXPECT_EQ(r->parts[0].nonuniform_blocks, 1u);  // the MBR's signature block
  EXPECT_EQ(r->parts[3].name, "random");
  EXPECT_GT(r->parts[3].nonuniform_blocks, 0u);
  ASSERT_FALSE(r->first_nonuniform.empty());
  EXPECT_EQ(r->first_nonuniform[0], 0u);
  EXPECT_GE(r->first_nonuniform.back(), 60 * kMiB);
  nlohmann::json j = InspectReportToJson(*r);
  EXPECT_EQ(j["seed"], "99");
  EXPECT_EQ(j["signatures_found"][0]["offset"], 510);
}

TEST(InspectTest, DefaultPlanOnAnErasedMediumAppearsErased) {
  MemEnv env;
  env.AddDevice(kDev, 128 * kMiB, std::byte{0});
  auto r = InspectTarget(&env, Dev(128 * kMiB), {});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->appears_erased) << r->verdict;
  EXPECT_EQ(r->result, "appears-erased");
  EXPECT_NE(r->seed, 0u);  // drawn, and recorded
}

}  // namespace
}  // namespace kesu
