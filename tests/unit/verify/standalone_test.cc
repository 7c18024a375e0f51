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
  ReadOnlyOptions o;  // full read
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
  ReadOnlyOptions o;
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

}  // namespace
}  // namespace kesu
