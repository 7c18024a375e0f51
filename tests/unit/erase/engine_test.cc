// The overwrite engine on in-memory and fault-injecting devices: outcomes, exit codes,
// recorded offsets and the content left behind.
#include "erase/engine.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <thread>

#include "crypto/sha256.h"
#include "env/sync_queue.h"
#include "erase/result_json.h"
#include "support/fault_env.h"
#include "support/mem_env.h"
#include "support/region_digest_ref.h"
#include "verify/sample_plan.h"

namespace kesu {
namespace {

constexpr char kDev[] = "/dev/memdisk";

Pattern Zero() { return {Pattern::Kind::kZero, {}}; }
Pattern One() { return {Pattern::Kind::kOne, {}}; }
Pattern Random() { return {Pattern::Kind::kRandom, {}}; }
Pattern Bytes(std::vector<uint8_t> b) { return {Pattern::Kind::kBytes, std::move(b)}; }

Method MakeMethod(std::vector<Pass> passes, VerifySpec verify = {}, bool allow_none = false,
                  bool allow_partial = false) {
  Method m;
  m.id = "test-method";
  m.title = "Test method";
  m.reference = "unit test";
  m.passes = std::move(passes);
  m.verify = verify;
  m.allow_verify_none = allow_none;
  m.allow_partial = allow_partial;
  m.nist[MediaType::kVirtual] = NistCategory::kClear;
  m.file_sha256 = std::string(64, 'a');
  return m;
}

EngineOptions SmallOptions() {
  EngineOptions o;
  o.request_bytes = 256 * 1024;  // several requests per MiB, so queues and rings turn over
  o.queue_depth = 4;
  o.write_buffers = 6;
  o.sync_bytes = 1 * kMiB;
  o.verify_distance = 2 * kMiB;  // verification runs beside the writer on these sizes
  return o;
}

ErasureResult Erase(Env* env, const Method& m, EngineOptions o, DeviceInfo dev = {}) {
  auto f = env->OpenBlock(kDev, {.write = true, .direct = true, .exclusive = true});
  EXPECT_TRUE(f.ok()) << f.status().message();
  dev.path = kDev;
  dev.name = "memdisk";
  dev.size = (*f)->size();
  dev.media = MediaType::kVirtual;
  auto v = ResolveVerify(m, std::nullopt);
  if (o.verify.mode == VerifyMode::kFull && o.verify.sample_percent == 0 && v.ok()) {
    o.verify = *v;
  }
  return RunErasure(env, f->get(), dev, m, o);
}

void ExpectFilled(const MemDevice& d, const std::vector<uint8_t>& pattern) {
  for (size_t i = 0; i < d.data.size(); ++i) {
    if (static_cast<uint8_t>(d.data[i]) != pattern[i % pattern.size()]) {
      FAIL() << "byte " << i << " is " << int(d.data[i]) << ", expected "
             << int(pattern[i % pattern.size()]);
    }
  }
}

std::string DeviceSha(const MemDevice& d) { return ReferenceRegionDigest(d.data); }

TEST(EngineTest, ZeroPassLeavesZerosAndSucceeds) {
  MemEnv env;
  auto dev = env.AddDevice(kDev, 8 * kMiB + 3 * 512, std::byte{0xAB});
  auto r = Erase(&env, MakeMethod({{Zero(), false}}), SmallOptions());
  EXPECT_EQ(r.outcome, Outcome::kSuccess) << (r.errors.empty() ? "" : r.errors[0]);
  ExpectFilled(*dev, {0x00});
  ASSERT_EQ(r.passes.size(), 1u);
  EXPECT_EQ(r.passes[0].bytes_written, dev->data.size());
  EXPECT_EQ(r.verification.mode, "full");
  EXPECT_EQ(r.verification.bytes_read, dev->data.size());
  EXPECT_EQ(r.verification.bytes_planned, dev->data.size());
  EXPECT_EQ(r.verification.content_sha256, DeviceSha(*dev));
  EXPECT_EQ(r.verification.expected, "zero");
  EXPECT_EQ(ExitCodeFor(std::vector<ErasureResult>{r}), 0);
  EXPECT_EQ(r.nist_category, "clear");
  EXPECT_EQ(r.io_engine, "sync");
  EXPECT_TRUE(r.errors.empty());
}

// An image file or loop device has no drive firmware: its health is "not reported" (absent,
// never zeros), with the reason, and the erasure is not affected.
TEST(EngineTest, TargetWithoutFirmwareRecordsHealthNotReportedWithTheReason) {
  MemEnv env;
  env.AddDevice(kDev, 2 * kMiB, std::byte{0xAB});
  auto r = Erase(&env, MakeMethod({{Zero(), false}}), SmallOptions());
  EXPECT_EQ(r.outcome, Outcome::kSuccess) << (r.errors.empty() ? "" : r.errors[0]);
  EXPECT_EQ(r.health.protocol, "");
  EXPECT_FALSE(r.health.before.has_value());
  EXPECT_FALSE(r.health.after.has_value());
  ASSERT_EQ(r.health.notes.size(), 1u);
  EXPECT_NE(r.health.notes[0].find("no drive firmware"), std::string::npos) << r.health.notes[0];
}

TEST(EngineTest, OneAndByteAndSequencePatterns) {
  for (const auto& [pat, bytes] : std::vector<std::pair<Pattern, std::vector<uint8_t>>>{
           {One(), {0xFF}},
           {Bytes({0x55}), {0x55}},
           {Bytes({0x92, 0x49, 0x24}), {0x92, 0x49, 0x24}},
           {Bytes({1, 2, 3, 4, 5, 6, 7}), {1, 2, 3, 4, 5, 6, 7}}}) {
    MemEnv env;
    // Not a multiple of the request size, nor of the pattern periods.
    auto dev = env.AddDevice(kDev, 5 * kMiB + 7 * 512, std::byte{0x11});
    auto r = Erase(&env, MakeMethod({{pat, false}}), SmallOptions());
    EXPECT_EQ(r.outcome, Outcome::kSuccess) << pat.ToString();
    ExpectFilled(*dev, bytes);
    EXPECT_EQ(r.verification.bytes_read, dev->data.size());
    EXPECT_EQ(r.verification.content_sha256, DeviceSha(*dev));
  }
}

TEST(EngineTest, RandomPassIsVerifiedAndDigestMatchesContent) {
  MemEnv env;
  auto dev = env.AddDevice(kDev, 6 * kMiB, std::byte{0});
  auto r = Erase(&env, MakeMethod({{Random(), false}}), SmallOptions());
  EXPECT_EQ(r.outcome, Outcome::kSuccess);
  EXPECT_EQ(r.verification.bytes_read, dev->data.size());
  EXPECT_EQ(r.verification.content_sha256, DeviceSha(*dev));
  size_t zeros = 0;
  for (auto b : dev->data) zeros += b == std::byte{0};
  // About 1/256 of random bytes are zero.
  EXPECT_LT(zeros, dev->data.size() / 128);
  EXPECT_GT(zeros, dev->data.size() / 512);
  // A second run uses a fresh key: the content differs.
  std::string first = DeviceSha(*dev);
  auto r2 = Erase(&env, MakeMethod({{Random(), false}}), SmallOptions());
  EXPECT_EQ(r2.outcome, Outcome::kSuccess);
  EXPECT_NE(DeviceSha(*dev), first);
}

TEST(EngineTest, MultiPassVerifiesMarkedPassesAndTheLast) {
  MemEnv env;
  auto dev = env.AddDevice(kDev, 4 * kMiB, std::byte{0x77});
  Method m = MakeMethod({{Zero(), true}, {One(), false}, {Random(), false}});
  m.final_blank = true;
  auto r = Erase(&env, m, SmallOptions());
  EXPECT_EQ(r.outcome, Outcome::kSuccess);
  ASSERT_EQ(r.passes.size(), 4u);
  EXPECT_TRUE(r.passes[0].verified);
  EXPECT_EQ(r.passes[0].bytes_verified, dev->data.size());
  EXPECT_FALSE(r.passes[1].verified);
  EXPECT_EQ(r.passes[1].bytes_verified, 0u);
  EXPECT_FALSE(r.passes[2].verified);
  EXPECT_TRUE(r.passes[3].verified);
  for (const auto& p : r.passes) EXPECT_EQ(p.bytes_written, dev->data.size());
  EXPECT_EQ(r.passes[2].pattern, "random");
  EXPECT_EQ(r.verification.expected, "zero");
  ExpectFilled(*dev, {0});
}

TEST(EngineTest, WriteErrorFailsWithOffset) {
  MemEnv mem;
  FaultInjectionEnv env(&mem);
  mem.AddDevice(kDev, 8 * kMiB, std::byte{0x5A});
  const uint64_t x = 3 * kMiB + 4096 + 512;
  env.AddRule({FaultRule::Kind::kFailWrite, kDev, x, 1});
  auto r = Erase(&env, MakeMethod({{Zero(), false}}), SmallOptions());
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(ExitCodeFor(std::vector<ErasureResult>{r}), 1);
  ASSERT_EQ(r.passes.size(), 1u);
  ASSERT_FALSE(r.passes[0].errors.empty());
  EXPECT_EQ(r.passes[0].errors[0].operation, "write");
  EXPECT_EQ(r.passes[0].errors[0].offset, x);
  EXPECT_EQ(r.passes[0].errors[0].sys_errno, EIO);
  EXPECT_LT(r.passes[0].bytes_written, 8 * kMiB);
  EXPECT_FALSE(r.errors.empty());
  // A failed erasure reached no NIST category; the reason says what the method would reach.
  EXPECT_EQ(r.nist_category, "none");
  EXPECT_NE(r.nist_reason.find("would have reached clear"), std::string::npos) << r.nist_reason;
}

// Requests after a failed one complete too (the ring has many in flight), but without
// allow_partial the pass's written prefix stops at the failure: the syncer never flushes past
// it as progress and the verifier never reads what did not write as if it had.
TEST(EngineTest, NothingBeyondAFailedWriteIsTreatedAsWritten) {
  MemEnv mem;
  FaultInjectionEnv env(&mem);
  mem.AddDevice(kDev, 8 * kMiB, std::byte{0x5A});
  const uint64_t x = kMiB + 4096;
  env.AddRule({FaultRule::Kind::kFailWrite, kDev, x, 1});
  EngineOptions o = SmallOptions();
  o.queue_depth = 16;  // 4 MiB in flight: requests past x complete after it failed
  o.write_buffers = 32;
  o.verify_distance = 0;
  o.sync_bytes = 512 * 1024;
  auto r = Erase(&env, MakeMethod({{Zero(), false}}), o);
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_LE(r.verification.bytes_read, x);
  EXPECT_EQ(r.verification.mismatched_bytes, 0u);
}

TEST(EngineTest, WriteErrorStopsLaterPasses) {
  MemEnv mem;
  FaultInjectionEnv env(&mem);
  mem.AddDevice(kDev, 4 * kMiB);
  env.AddRule({FaultRule::Kind::kFailWrite, kDev, kMiB, 1});
  auto r =
      Erase(&env, MakeMethod({{Zero(), false}, {One(), false}, {Zero(), false}}), SmallOptions());
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(r.passes.size(), 1u);
}

TEST(EngineTest, ReadErrorDuringVerificationFailsWithOffset) {
  MemEnv mem;
  FaultInjectionEnv env(&mem);
  mem.AddDevice(kDev, 8 * kMiB);
  const uint64_t x = 5 * kMiB + 1024;
  env.AddRule({FaultRule::Kind::kFailRead, kDev, x, 1});
  auto r = Erase(&env, MakeMethod({{One(), false}}), SmallOptions());
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(ExitCodeFor(std::vector<ErasureResult>{r}), 1);
  ASSERT_EQ(r.verification.unreadable.size(), 1u);
  EXPECT_EQ(r.verification.unreadable[0].offset, x);
  EXPECT_EQ(r.verification.unreadable[0].length, 512u);
  EXPECT_EQ(r.verification.unreadable[0].sys_errno, EIO);
  EXPECT_EQ(r.verification.bytes_read, 8 * kMiB - 512);
  EXPECT_EQ(r.verification.bytes_planned, 8 * kMiB);
  EXPECT_EQ(r.passes[0].bytes_written, 8 * kMiB);
}

TEST(EngineTest, FlippedByteAfterWriteIsAMismatch) {
  MemEnv mem;
  FaultInjectionEnv env(&mem);
  mem.AddDevice(kDev, 8 * kMiB);
  const uint64_t x = 6 * kMiB + 12345;
  FaultRule rule{FaultRule::Kind::kFlipAfterWrite, kDev, x, 1};
  rule.once = true;
  env.AddRule(rule);
  auto r = Erase(&env, MakeMethod({{Random(), false}}), SmallOptions());
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(ExitCodeFor(std::vector<ErasureResult>{r}), 1);
  EXPECT_EQ(r.verification.mismatched_bytes, 1u);
  ASSERT_EQ(r.verification.first_mismatches.size(), 1u);
  EXPECT_EQ(r.verification.first_mismatches[0], x);
  EXPECT_EQ(r.verification.bytes_read, 8 * kMiB);
}

TEST(EngineTest, FirstSixteenMismatchesAreKept) {
  MemEnv mem;
  FaultInjectionEnv env(&mem);
  mem.AddDevice(kDev, 8 * kMiB);
  // One flip per write request (256 KiB each in SmallOptions).
  for (uint64_t i = 0; i < 20; ++i) {
    FaultRule rule{FaultRule::Kind::kFlipAfterWrite, kDev, kMiB + i * 300000, 1};
    rule.once = true;
    env.AddRule(rule);
  }
  auto r = Erase(&env, MakeMethod({{Zero(), false}}), SmallOptions());
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(r.verification.mismatched_bytes, 20u);
  ASSERT_EQ(r.verification.first_mismatches.size(), 16u);
  EXPECT_EQ(r.verification.first_mismatches[0], kMiB);
  EXPECT_EQ(r.verification.first_mismatches[15], kMiB + 15 * 300000);
}

TEST(EngineTest, MismatchInAnEarlierVerifiedPassFails) {
  MemEnv mem;
  FaultInjectionEnv env(&mem);
  auto dev = mem.AddDevice(kDev, 4 * kMiB);
  FaultRule rule{FaultRule::Kind::kFlipAfterWrite, kDev, 2 * kMiB + 3, 1};
  rule.once = true;
  env.AddRule(rule);
  auto r = Erase(&env, MakeMethod({{One(), true}, {Zero(), false}}), SmallOptions());
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  ASSERT_EQ(r.passes.size(), 2u);  // the remaining pass still overwrites
  ASSERT_FALSE(r.passes[0].errors.empty());
  EXPECT_EQ(r.passes[0].errors[0].operation, "verify");
  EXPECT_EQ(r.passes[0].errors[0].offset, 2 * kMiB + 3);
  EXPECT_EQ(r.verification.mismatched_bytes, 0u);
  ExpectFilled(*dev, {0});
}

TEST(EngineTest, ShortWritesAndReadsStillSucceedWithExactContent) {
  MemEnv mem;
  FaultInjectionEnv env(&mem);
  auto dev = mem.AddDevice(kDev, 4 * kMiB + 512, std::byte{0x33});
  env.AddRule({FaultRule::Kind::kShortWrite, kDev, 0, 4 * kMiB});
  env.AddRule({FaultRule::Kind::kShortRead, kDev, kMiB, kMiB});
  auto r = Erase(&env, MakeMethod({{Bytes({0xA5, 0x5A}), false}}), SmallOptions());
  EXPECT_EQ(r.outcome, Outcome::kSuccess) << (r.errors.empty() ? "" : r.errors[0]);
  EXPECT_GT(env.faults_fired(), 10u);
  ExpectFilled(*dev, {0xA5, 0x5A});
  EXPECT_EQ(r.passes[0].bytes_written, dev->data.size());
  EXPECT_EQ(r.verification.bytes_read, dev->data.size());
}

TEST(EngineTest, AllowPartialSkipsUnwritableBlocks) {
  MemEnv mem;
  FaultInjectionEnv env(&mem);
  auto dev = mem.AddDevice(kDev, 4 * kMiB, std::byte{0x44});
  const uint64_t x = 2 * kMiB + 1024;
  env.AddRule({FaultRule::Kind::kFailWrite, kDev, x, 1500});  // blocks x .. x+1536
  auto r =
      Erase(&env, MakeMethod({{Zero(), false}}, {}, false, /*allow_partial=*/true), SmallOptions());
  EXPECT_EQ(r.outcome, Outcome::kPartial) << (r.errors.empty() ? "" : r.errors[0]);
  EXPECT_EQ(ExitCodeFor(std::vector<ErasureResult>{r}), 1);
  ASSERT_EQ(r.passes[0].skipped.size(), 1u);
  EXPECT_EQ(r.passes[0].skipped[0], std::make_pair(x, uint64_t{1536}));
  EXPECT_EQ(r.passes[0].bytes_written, 4 * kMiB - 1536);
  EXPECT_EQ(r.verification.bytes_planned, 4 * kMiB - 1536);
  EXPECT_EQ(r.verification.bytes_read, 4 * kMiB - 1536);
  EXPECT_EQ(r.verification.mismatched_bytes, 0u);
  EXPECT_EQ(static_cast<uint8_t>(dev->data[x]), 0x44);  // not written
  EXPECT_EQ(static_cast<uint8_t>(dev->data[x - 1]), 0x00);
  EXPECT_EQ(static_cast<uint8_t>(dev->data[x + 1536]), 0x00);
}

TEST(EngineTest, WithoutAllowPartialTheSameFaultFails) {
  MemEnv mem;
  FaultInjectionEnv env(&mem);
  mem.AddDevice(kDev, 4 * kMiB);
  env.AddRule({FaultRule::Kind::kFailWrite, kDev, 2 * kMiB, 1500});
  auto r = Erase(&env, MakeMethod({{Zero(), false}}), SmallOptions());
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_TRUE(r.passes[0].skipped.empty());
}

TEST(EngineTest, SyncFailureFails) {
  MemEnv mem;
  FaultInjectionEnv env(&mem);
  mem.AddDevice(kDev, 4 * kMiB);
  env.AddRule({FaultRule::Kind::kFailSync, kDev, 0, 1});
  auto r = Erase(&env, MakeMethod({{Zero(), false}}), SmallOptions());
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  bool saw_sync = false;
  for (const auto& e : r.passes[0].errors) saw_sync |= e.operation == "sync";
  EXPECT_TRUE(saw_sync);
}

TEST(EngineTest, StopFlagInterrupts) {
  MemEnv env;
  env.AddDevice(kDev, 4 * kMiB);
  std::atomic<bool> stop{true};
  EngineOptions o = SmallOptions();
  o.stop = &stop;
  auto r = Erase(&env, MakeMethod({{Zero(), false}}), o);
  EXPECT_EQ(r.outcome, Outcome::kInterrupted);
  EXPECT_EQ(ExitCodeFor(std::vector<ErasureResult>{r}), 1);
}

// A stop request arriving mid-pass (from another thread, as a signal handler would).
TEST(EngineTest, StopFlagMidPassInterrupts) {
  MemEnv mem;
  FaultInjectionEnv env(&mem);
  mem.AddDevice(kDev, 64 * kMiB);
  std::atomic<bool> stop{false};
  EngineOptions o = SmallOptions();
  o.stop = &stop;
  TargetProgress progress;
  o.progress = &progress;
  std::thread t([&] {
    while (progress.total_durable.load() == 0 && progress.state.load() != 2) {
      std::this_thread::yield();
    }
    stop = true;
  });
  auto r = Erase(&env, MakeMethod({{Random(), false}, {Zero(), false}}), o);
  t.join();
  EXPECT_EQ(r.outcome, Outcome::kInterrupted);
  EXPECT_EQ(r.passes.size(), 1u);
  EXPECT_LT(r.passes[0].bytes_written, 64 * kMiB);
}

TEST(EngineTest, SizeNotAMultipleOfTheBlockSize) {
  MemEnv env;
  auto dev = env.AddDevice(kDev, 3 * kMiB + 100, std::byte{0x12});
  auto r = Erase(&env, MakeMethod({{Bytes({0xC3, 0x3C, 0x99}), false}}), SmallOptions());
  EXPECT_EQ(r.outcome, Outcome::kSuccess) << (r.errors.empty() ? "" : r.errors[0]);
  ExpectFilled(*dev, {0xC3, 0x3C, 0x99});
  EXPECT_EQ(r.passes[0].bytes_written, 3 * kMiB + 100);
  EXPECT_EQ(r.verification.bytes_read, 3 * kMiB + 100);
}

TEST(EngineTest, VerifyNoneOnlyWhereTheMethodAllowsIt) {
  VerifySpec none{VerifyMode::kNone, 0};
  Method strict = MakeMethod({{Zero(), false}});
  auto rejected = ResolveVerify(strict, none);
  EXPECT_EQ(rejected.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(rejected.status().ExitCode(), 2);

  Method lax = MakeMethod({{Zero(), false}}, {}, /*allow_none=*/true);
  auto ok = ResolveVerify(lax, none);
  ASSERT_TRUE(ok.ok());
  MemEnv env;
  env.AddDevice(kDev, 2 * kMiB, std::byte{9});
  EngineOptions o = SmallOptions();
  o.verify = *ok;
  auto r = Erase(&env, lax, o);
  EXPECT_EQ(r.outcome, Outcome::kSuccess);
  EXPECT_EQ(r.verification.mode, "none");
  EXPECT_EQ(r.verification.bytes_read, 0u);
  EXPECT_EQ(r.verification.bytes_planned, 0u);

  // The engine itself refuses none for a strict method (never a silent success).
  auto r2 = Erase(&env, strict, o);
  EXPECT_EQ(r2.outcome, Outcome::kFailed);
}

TEST(EngineTest, SampleVerificationReadsExactlyThePlan) {
  MemEnv env;
  auto dev = env.AddDevice(kDev, 64 * kMiB, std::byte{0x66});
  EngineOptions o = SmallOptions();
  o.verify = {VerifyMode::kSample, 10};
  o.sample_seed = 99;
  auto r = Erase(&env, MakeMethod({{Random(), false}}), o);
  EXPECT_EQ(r.outcome, Outcome::kSuccess);
  EXPECT_EQ(r.verification.mode, "sample:10");
  EXPECT_EQ(r.verification.bytes_read, r.verification.bytes_planned);
  EXPECT_GE(r.verification.bytes_planned, 64 * kMiB / 10);
  EXPECT_LT(r.verification.bytes_planned, 64 * kMiB / 10 + 4 * kMiB);
}

TEST(EngineTest, FullVerificationAfterTheFinalFlushOnSmallTargets) {
  MemEnv env;
  auto dev = env.AddDevice(kDev, 3 * kMiB);
  EngineOptions o;  // defaults: 256 MiB distance, larger than the target
  auto r = Erase(&env, MakeMethod({{One(), false}}), o);
  EXPECT_EQ(r.outcome, Outcome::kSuccess);
  EXPECT_EQ(r.verification.bytes_read, 3 * kMiB);
}

TEST(EngineTest, RotationalTargetsReadInBurstsBesideTheWriter) {
  MemEnv env;
  auto dev = env.AddDevice(kDev, 24 * kMiB, std::byte{0x01});
  EngineOptions o = SmallOptions();
  o.rotational_chunk = 4 * kMiB;
  DeviceInfo info;
  info.rotational = true;
  Method m = MakeMethod({{Random(), true}, {Zero(), false}});
  auto r = Erase(&env, m, o, info);
  EXPECT_EQ(r.outcome, Outcome::kSuccess) << (r.errors.empty() ? "" : r.errors[0]);
  EXPECT_EQ(r.passes[0].bytes_verified, 24 * kMiB);
  EXPECT_EQ(r.verification.bytes_read, 24 * kMiB);
  ExpectFilled(*dev, {0});
}

TEST(EngineTest, ResultRecordIsComplete) {
  MemEnv env;
  env.AddDevice(kDev, 2 * kMiB);
  auto r = Erase(&env, MakeMethod({{Zero(), false}}), SmallOptions());
  EXPECT_FALSE(r.tool_version.empty());
  EXPECT_FALSE(r.tool_build.empty());
  EXPECT_EQ(r.method_id, "test-method");
  EXPECT_EQ(r.method_title, "Test method");
  EXPECT_EQ(r.method_sha256, std::string(64, 'a'));
  EXPECT_NE(r.nist_reason.find("NIST SP 800-88"), std::string::npos);
  EXPECT_TRUE(r.direct_io);
  EXPECT_GT(r.start_ms, 0);
  EXPECT_GE(r.end_ms, r.start_ms);
  EXPECT_GE(r.passes[0].end_ms, r.passes[0].start_ms);
  auto back = ResultFromJson(ResultToJson(r));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(ResultToJson(*back), ResultToJson(r));
}

}  // namespace
}  // namespace kesu

namespace kesu {
namespace {

TEST(CachePolicyTest, DisksKeepTheDistanceVirtualTargetsFollowEachFlush) {
  EngineOptions o;
  DeviceInfo d;
  for (MediaType m : {MediaType::kHdd, MediaType::kSsd, MediaType::kNvme, MediaType::kUsbFlash,
                      MediaType::kMemoryCard, MediaType::kExternalUsbHdd, MediaType::kUnknown}) {
    d.media = m;
    o.verify_distance = 0;
    ApplyCachePolicy(d, &o);
    EXPECT_EQ(o.verify_distance, kDiskVerifyDistance) << MediaTypeName(m);
    EXPECT_EQ(o.sync_bytes, kDiskSyncBytes) << MediaTypeName(m);
  }
  d.media = MediaType::kVirtual;
  d.size = 1ull << 40;
  ApplyCachePolicy(d, &o);
  EXPECT_EQ(o.verify_distance, 0u);
  EXPECT_EQ(o.sync_bytes, kVirtualSyncBytes);
  // Smaller virtual targets flush every 1/128 of their size, never less than 1 MiB, so the
  // read-back left when the writer ends is a small part of the run.
  d.size = 128 * kMiB;
  ApplyCachePolicy(d, &o);
  EXPECT_EQ(o.sync_bytes, 1 * kMiB);
  d.size = 1024 * kMiB;
  ApplyCachePolicy(d, &o);
  EXPECT_EQ(o.sync_bytes, 8 * kMiB);
  d.size = 10 * kMiB;
  ApplyCachePolicy(d, &o);
  EXPECT_EQ(o.sync_bytes, kVirtualSyncMinBytes);
  EXPECT_EQ(kVirtualSyncMinBytes, kMiB);
}

TEST(CachePolicyTest, NoDistanceStillVerifiesEveryByteAfterItsFlush) {
  MemEnv env;
  env.AddDevice(kDev, 10 * kMiB + 4096, std::byte{0x33});
  EngineOptions o = SmallOptions();
  o.verify_distance = 0;
  o.sync_bytes = kMiB;
  auto r = Erase(&env, MakeMethod({{Random(), false}}), o);
  EXPECT_EQ(r.outcome, Outcome::kSuccess);
  EXPECT_EQ(r.verification.bytes_read, 10 * kMiB + 4096);
  EXPECT_EQ(r.verification.mismatched_bytes, 0u);
}

// --- A wrapper Env for the engine's I/O contract ----------------------------------------------
// Wraps every target another Env opens. The wrapper can behave as O_DIRECT does on Linux
// (an offset or length that is not a multiple of the logical block size fails with EINVAL),
// report the handle's real direct/buffered mode, complete queued requests in reverse order
// (as io_uring may), and log each operation with the handle's mode, for order checks.
struct WrapOptions {
  bool strict_direct = false;
  bool reverse_completions = false;
};

class WrapLog {
 public:
  void Add(std::string e) {
    std::lock_guard<std::mutex> l(mu_);
    entries_.push_back(std::move(e));
  }
  std::vector<std::string> entries() {
    std::lock_guard<std::mutex> l(mu_);
    return entries_;
  }

 private:
  std::mutex mu_;
  std::vector<std::string> entries_;
};

class WrapFile final : public BlockFileWrapper {
 public:
  WrapFile(std::unique_ptr<BlockFile> base, bool direct, WrapOptions o, WrapLog* log)
      : BlockFileWrapper(std::move(base)),
        direct_(direct),
        o_(o),
        log_(log),
        tag_(direct ? "direct:" : "buffered:") {}
  bool direct() const override { return direct_; }
  Status ReadAt(uint64_t offset, std::span<std::byte> buf) override {
    KESU_RETURN_IF_ERROR(CheckAligned("read", offset, buf.size()));
    log_->Add(tag_ + "read " + std::to_string(offset) + " " + std::to_string(buf.size()));
    return target()->ReadAt(offset, buf);
  }
  Status WriteAt(uint64_t offset, std::span<const std::byte> buf) override {
    KESU_RETURN_IF_ERROR(CheckAligned("write", offset, buf.size()));
    log_->Add(tag_ + "write " + std::to_string(offset) + " " + std::to_string(buf.size()));
    return target()->WriteAt(offset, buf);
  }
  Status Sync() override {
    log_->Add(tag_ + "sync");
    return target()->Sync();
  }
  Status DropCache() override {
    log_->Add(tag_ + "drop");
    return target()->DropCache();
  }
  Result<std::unique_ptr<IoQueue>> NewQueue(unsigned depth) override;

 private:
  Status CheckAligned(const char* op, uint64_t offset, size_t len) const {
    const uint32_t lbs = logical_block_size();
    if (o_.strict_direct && direct_ && (offset % lbs != 0 || len % lbs != 0)) {
      return Status::IoError(path() + ": " + op + " of " + std::to_string(len) +
                                 " bytes at offset " + std::to_string(offset) +
                                 ": misaligned for O_DIRECT",
                             EINVAL);
    }
    return Status::Ok();
  }
  bool direct_;
  WrapOptions o_;
  WrapLog* log_;
  std::string tag_;
};

Result<std::unique_ptr<IoQueue>> WrapFile::NewQueue(unsigned depth) {
  // Performs queued requests at Reap, all at once, newest first when reverse_completions.
  SyncQueueHooks hooks;
  hooks.reverse_completions = o_.reverse_completions;
  hooks.engine = "wrap";
  return std::unique_ptr<IoQueue>(std::make_unique<SyncQueue>(this, depth, std::move(hooks)));
}

class WrapEnv final : public EnvWrapper {
 public:
  WrapEnv(Env* base, WrapOptions o) : EnvWrapper(base), o_(o) {}
  WrapLog log;

  Result<std::unique_ptr<BlockFile>> OpenBlock(const std::string& p,
                                               const OpenOptions& opts) override {
    KESU_ASSIGN_OR_RETURN(auto f, target()->OpenBlock(p, opts));
    return std::unique_ptr<BlockFile>(
        std::make_unique<WrapFile>(std::move(f), opts.direct, o_, &log));
  }

 private:
  WrapOptions o_;
};

// Every sample percentage on targets whose size is a multiple of 512 but not of 1 MiB, read
// as O_DIRECT would allow: the plan is whole blocks, so the run succeeds and reads exactly
// what it planned (a region of `want - covered` bytes once made the read fail, and the
// block-by-block retry then read past the region: bytes_read > bytes_planned, failed).
TEST(EngineTest, EverySamplePercentageReadsExactlyThePlanOnOddSizes) {
  for (uint64_t size : {3 * kMiB + 5 * 512, 7 * kMiB + 9 * 512}) {
    for (uint32_t pct = 1; pct <= 100; ++pct) {
      MemEnv mem;
      WrapEnv env(&mem, {.strict_direct = true});
      mem.AddDevice(kDev, size, std::byte{0x3C});
      EngineOptions o = SmallOptions();
      auto v = ParseVerifySpec("sample:" + std::to_string(pct));
      ASSERT_TRUE(v.ok());
      o.verify = *v;
      o.sample_seed = 1000 + pct;
      auto r = Erase(&env, MakeMethod({{Zero(), false}}), o);
      ASSERT_EQ(r.outcome, Outcome::kSuccess)
          << "size " << size << " sample:" << pct << ": read " << r.verification.bytes_read
          << " of " << r.verification.bytes_planned << "; "
          << (r.errors.empty() ? "no error recorded" : r.errors[0]);
      EXPECT_EQ(r.verification.bytes_read, r.verification.bytes_planned);
      EXPECT_GE(r.verification.bytes_planned * 100, size * pct);
      EXPECT_TRUE(r.errors.empty());
    }
  }
}

// The unaligned tail of an image file goes through a buffered handle: after its final sync
// its pages are dropped, before the verifier reads it, so the read-back is not the page cache.
TEST(EngineTest, TailIsDroppedFromThePageCacheBeforeItIsReadBack) {
  MemEnv mem;
  WrapEnv env(&mem, {.strict_direct = true});
  auto dev = mem.AddDevice(kDev, 2 * kMiB + 3 * 4096 + 512, std::byte{0x77});
  dev->logical_block_size = 4096;
  auto r = Erase(&env, MakeMethod({{One(), false}}), SmallOptions());
  ASSERT_EQ(r.outcome, Outcome::kSuccess) << (r.errors.empty() ? "" : r.errors[0]);
  EXPECT_EQ(r.verification.bytes_read, dev->data.size());
  ExpectFilled(*dev, {0xFF});
  const auto log = env.log.entries();
  const std::string tail_at = std::to_string(2 * kMiB + 3 * 4096);
  ptrdiff_t write = -1, sync = -1, drop = -1, read = -1;
  for (ptrdiff_t i = 0; i < static_cast<ptrdiff_t>(log.size()); ++i) {
    const std::string& e = log[i];
    if (e == "buffered:write " + tail_at + " 512") write = i;
    if (write >= 0 && sync < 0 && e == "buffered:sync") sync = i;
    if (sync >= 0 && drop < 0 && e == "buffered:drop") drop = i;
    if (write >= 0 && read < 0 && e == "buffered:read " + tail_at + " 512") read = i;
  }
  ASSERT_GE(write, 0) << "the tail was not written through the buffered handle";
  ASSERT_GE(read, 0) << "the tail was not read back through the buffered handle";
  ASSERT_GT(sync, write);
  ASSERT_GT(drop, sync) << "the tail's pages were never dropped after its sync";
  EXPECT_LT(drop, read) << "the tail was read back before its pages were dropped";
}

// Partial mode: two unwritable blocks in adjacent requests whose failures complete in
// reverse order (the later request first, as io_uring may). The skipped ranges stay sorted,
// so a verification read spanning both requests leaves both out: partial, not failed.
TEST(EngineTest, SkippedRangesStaySortedWhenFailuresCompleteOutOfOrder) {
  const uint64_t size = 4 * kMiB + 1024, req = 64 * 1024, seed = 5;
  EngineOptions o = SmallOptions();
  o.request_bytes = req;
  o.queue_depth = 64;  // the first 64 requests are submitted, and complete, together
  o.write_buffers = 64;
  o.sample_seed = seed;
  o.verify = *ParseVerifySpec("sample:50");
  // A sampled region that starts inside a request: its first read spans requests k-1 and k.
  uint64_t boundary = 0;
  for (const Region& g : PlanSample(size, 50, kMiB, 512, seed)) {
    uint64_t k = g.offset / req + 1;
    if (g.offset % req != 0 && k < 64 && g.end() >= k * req + 512) {
      boundary = k * req;
      break;
    }
  }
  ASSERT_NE(boundary, 0u) << "no sampled region starts inside an early request";
  MemEnv mem;
  FaultInjectionEnv faults(&mem);
  WrapEnv env(&faults, {.reverse_completions = true});
  auto dev = mem.AddDevice(kDev, size, std::byte{0x44});
  faults.AddRule({FaultRule::Kind::kFailWrite, kDev, boundary - 512, 1});
  faults.AddRule({FaultRule::Kind::kFailWrite, kDev, boundary, 1});
  auto r = Erase(&env, MakeMethod({{Zero(), false}}, {}, false, /*allow_partial=*/true), o);
  EXPECT_EQ(r.outcome, Outcome::kPartial) << (r.errors.empty() ? "" : r.errors.back());
  EXPECT_EQ(r.verification.mismatched_bytes, 0u);
  ASSERT_EQ(r.passes.size(), 1u);
  ASSERT_EQ(r.passes[0].skipped.size(), 1u) << "adjacent skipped blocks are merged";
  EXPECT_EQ(r.passes[0].skipped[0], std::make_pair(boundary - 512, uint64_t{1024}));
  EXPECT_EQ(r.verification.bytes_read, r.verification.bytes_planned);
  EXPECT_EQ(static_cast<uint8_t>(dev->data[boundary - 512]), 0x44);
  EXPECT_EQ(static_cast<uint8_t>(dev->data[boundary]), 0x44);
}

// A request that fails while every block then writes on its own is a note, not an error:
// `errors` holds only failures (a certificate treats any entry there as a doubt).
TEST(EngineTest, WriteRetriedIsANoteNotAnError) {
  MemEnv mem;
  FaultInjectionEnv env(&mem);
  auto dev = mem.AddDevice(kDev, 4 * kMiB, std::byte{0x12});
  const uint64_t x = kMiB + 4096;
  env.AddRule({.kind = FaultRule::Kind::kFailWrite, .path = kDev, .offset = x, .once = true});
  auto r = Erase(&env, MakeMethod({{Zero(), false}}), SmallOptions());
  EXPECT_EQ(r.outcome, Outcome::kSuccess) << (r.errors.empty() ? "" : r.errors[0]);
  ASSERT_EQ(r.passes.size(), 1u);
  EXPECT_TRUE(r.passes[0].errors.empty());
  ASSERT_EQ(r.passes[0].notes.size(), 1u);
  EXPECT_EQ(r.passes[0].notes[0].operation, "write-retried");
  EXPECT_LE(r.passes[0].notes[0].offset, x);
  EXPECT_GT(r.passes[0].notes[0].offset + r.passes[0].notes[0].length, x);
  EXPECT_EQ(r.passes[0].notes[0].sys_errno, EIO);
  EXPECT_TRUE(r.errors.empty());
  ExpectFilled(*dev, {0x00});
}

// Grows its in-memory device by `grow` bytes (or shrinks it, negative) at its first write: a
// loop device resized (LOOP_SET_CAPACITY) or an image file extended while it is erased.
class ResizingFile final : public BlockFileWrapper {
 public:
  ResizingFile(std::unique_ptr<BlockFile> base, std::shared_ptr<MemDevice> dev, int64_t grow)
      : BlockFileWrapper(std::move(base)), dev_(std::move(dev)), grow_(grow) {}
  Status WriteAt(uint64_t o, std::span<const std::byte> b) override {
    if (!resized_.exchange(true)) {
      std::lock_guard<std::mutex> l(dev_->mu);
      dev_->data.resize(static_cast<size_t>(static_cast<int64_t>(dev_->data.size()) + grow_));
    }
    return target()->WriteAt(o, b);
  }
  Result<std::unique_ptr<IoQueue>> NewQueue(unsigned depth) override {
    return std::unique_ptr<IoQueue>(std::make_unique<SyncQueue>(this, depth));
  }

 private:
  std::shared_ptr<MemDevice> dev_;
  int64_t grow_;
  std::atomic<bool> resized_{false};
};

class ResizingEnv final : public EnvWrapper {
 public:
  ResizingEnv(MemEnv* mem, int64_t grow) : EnvWrapper(mem), mem_(mem), grow_(grow) {}
  Result<std::unique_ptr<BlockFile>> OpenBlock(const std::string& p,
                                               const OpenOptions& opts) override {
    KESU_ASSIGN_OR_RETURN(auto f, target()->OpenBlock(p, opts));
    return std::unique_ptr<BlockFile>(
        std::make_unique<ResizingFile>(std::move(f), mem_->GetDevice(p), grow_));
  }

 private:
  MemEnv* mem_;
  int64_t grow_;
};

TEST(EngineTest, TargetThatGrowsDuringTheErasureFails) {
  MemEnv mem;
  mem.AddDevice(kDev, 4 * kMiB, std::byte{0x5A});
  ResizingEnv env(&mem, static_cast<int64_t>(kMiB));
  auto r = Erase(&env, MakeMethod({{Zero(), false}}), SmallOptions());
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  ASSERT_FALSE(r.errors.empty());
  EXPECT_NE(r.errors.back().find("size changed during the erasure: 4194304 bytes at the start, "
                                 "5242880 bytes at the end"),
            std::string::npos)
      << r.errors.back();
  EXPECT_EQ(r.nist_category, NistCategoryName(NistCategory::kNone));
}

TEST(EngineTest, TargetThatShrinksDuringTheErasureFails) {
  MemEnv mem;
  mem.AddDevice(kDev, 4 * kMiB, std::byte{0x5A});
  ResizingEnv env(&mem, -static_cast<int64_t>(kMiB));
  auto r = Erase(&env, MakeMethod({{Zero(), false}}), SmallOptions());
  EXPECT_NE(r.outcome, Outcome::kSuccess);
  EXPECT_NE(r.outcome, Outcome::kPartial);
}

}  // namespace
}  // namespace kesu
