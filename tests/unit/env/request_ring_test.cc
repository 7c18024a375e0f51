// RequestRing on the in-memory and fault-injecting devices: a short completion is resubmitted
// for exactly the rest, and a failed request is narrowed to exactly the logical blocks that
// fail (each with its own offset and errno), for writes and for reads.
#include "env/request_ring.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>

#include "support/fault_env.h"
#include "support/mem_env.h"

namespace kesu {
namespace {

constexpr char kDev[] = "/dev/memring";
constexpr size_t kReq = 8192;  // 16 blocks of 512 bytes

struct Fixture {
  MemEnv mem;
  FaultInjectionEnv env{&mem};
  std::shared_ptr<MemDevice> dev;
  std::unique_ptr<BlockFile> file;

  explicit Fixture(uint64_t size = 1 << 20, std::byte fill = std::byte{0xAA}) {
    dev = mem.AddDevice(kDev, size, fill);
    auto f = env.OpenBlock(kDev, {.write = true, .direct = true});
    EXPECT_TRUE(f.ok()) << f.status().message();
    file = std::move(*f);
  }
  std::unique_ptr<RequestRing> Ring(IoRequest::Op op, bool stop_at_first = false) {
    auto r = RequestRing::Create(file.get(), {.op = op,
                                              .request_bytes = kReq,
                                              .queue_depth = 4,
                                              .slots = 6,
                                              .stop_at_first_failed_block = stop_at_first});
    EXPECT_TRUE(r.ok()) << r.status().message();
    return std::move(*r);
  }
  uint8_t At(uint64_t off) const { return static_cast<uint8_t>(dev->data[off]); }
};

// Prepares one request of kReq bytes at `offset` (written with `fill`), runs it to completion
// and retires it.
const RequestRing::Slot* RunOne(RequestRing* ring, uint64_t offset, uint8_t fill = 0x11) {
  RequestRing::Slot& s = ring->Prepare(offset, kReq);
  std::memset(s.data, fill, kReq);
  EXPECT_TRUE(ring->SubmitReady().ok());
  std::vector<RequestRing::Slot*> completed;
  for (int i = 0; i < 100 && completed.empty(); ++i) EXPECT_TRUE(ring->Reap(1, &completed).ok());
  EXPECT_EQ(completed.size(), 1u);
  EXPECT_EQ(ring->in_flight(), 0u);
  const RequestRing::Slot* r = ring->Retire();
  EXPECT_EQ(r, &s);
  return r;
}

TEST(RequestRingTest, ShortWriteIsResubmittedForTheRest) {
  Fixture fx;
  fx.env.AddRule({.kind = FaultRule::Kind::kShortWrite,
                  .path = kDev,
                  .offset = 65536,
                  .length = 1,
                  .once = true});
  auto ring = fx.Ring(IoRequest::Op::kWrite);
  const RequestRing::Slot* s = RunOne(ring.get(), 65536);
  EXPECT_EQ(fx.env.faults_fired(), 1u) << "the short completion was not injected";
  EXPECT_EQ(s->transferred, kReq);
  EXPECT_FALSE(s->narrowed);
  EXPECT_TRUE(s->failed_blocks.empty());
  for (uint64_t off = 65536; off < 65536 + kReq; ++off) ASSERT_EQ(fx.At(off), 0x11) << off;
  EXPECT_EQ(fx.At(65536 - 1), 0xAA);
  EXPECT_EQ(fx.At(65536 + kReq), 0xAA);
}

TEST(RequestRingTest, ShortReadIsResubmittedForTheRest) {
  Fixture fx;
  for (size_t i = 0; i < fx.dev->data.size(); ++i) fx.dev->data[i] = std::byte(i * 7 % 251);
  fx.env.AddRule({.kind = FaultRule::Kind::kShortRead,
                  .path = kDev,
                  .offset = 8192,
                  .length = 1,
                  .once = true});
  auto ring = fx.Ring(IoRequest::Op::kRead);
  const RequestRing::Slot* s = RunOne(ring.get(), 8192);
  EXPECT_EQ(fx.env.faults_fired(), 1u) << "the short completion was not injected";
  EXPECT_EQ(s->transferred, kReq);
  EXPECT_FALSE(s->narrowed);
  EXPECT_EQ(std::memcmp(s->data, fx.dev->data.data() + 8192, kReq), 0);
}

TEST(RequestRingTest, FailedWriteIsNarrowedToTheFailingBlocks) {
  Fixture fx;
  const uint64_t at = 131072;
  // Two single bytes inside blocks 3 and 9 of the request cannot be written.
  fx.env.AddRule({.kind = FaultRule::Kind::kFailWrite, .path = kDev, .offset = at + 3 * 512 + 17});
  fx.env.AddRule({.kind = FaultRule::Kind::kFailWrite, .path = kDev, .offset = at + 9 * 512});
  auto ring = fx.Ring(IoRequest::Op::kWrite);
  const RequestRing::Slot* s = RunOne(ring.get(), at);
  ASSERT_TRUE(s->narrowed);
  EXPECT_EQ(s->first_error.sys_errno(), EIO);
  EXPECT_EQ(s->queue_done, 0u);
  ASSERT_EQ(s->failed_blocks.size(), 2u);
  EXPECT_EQ(s->failed_blocks[0].offset, at + 3 * 512);
  EXPECT_EQ(s->failed_blocks[0].length, 512u);
  EXPECT_EQ(s->failed_blocks[0].status.sys_errno(), EIO);
  EXPECT_EQ(s->failed_blocks[1].offset, at + 9 * 512);
  EXPECT_EQ(s->failed_blocks[1].length, 512u);
  EXPECT_EQ(s->transferred, kReq - 2 * 512);
  for (uint64_t b = 0; b < kReq / 512; ++b) {
    const uint8_t want = b == 3 || b == 9 ? 0xAA : 0x11;
    EXPECT_EQ(fx.At(at + b * 512), want) << "block " << b;
    EXPECT_EQ(fx.At(at + b * 512 + 511), want) << "block " << b;
  }
}

TEST(RequestRingTest, NarrowingStopsAtTheFirstFailedBlockWhenAsked) {
  Fixture fx;
  const uint64_t at = 131072;
  fx.env.AddRule({.kind = FaultRule::Kind::kFailWrite, .path = kDev, .offset = at + 3 * 512});
  fx.env.AddRule({.kind = FaultRule::Kind::kFailWrite, .path = kDev, .offset = at + 9 * 512});
  auto ring = fx.Ring(IoRequest::Op::kWrite, /*stop_at_first=*/true);
  const RequestRing::Slot* s = RunOne(ring.get(), at);
  ASSERT_TRUE(s->narrowed);
  ASSERT_EQ(s->failed_blocks.size(), 1u);
  EXPECT_EQ(s->failed_blocks[0].offset, at + 3 * 512);
  EXPECT_EQ(s->transferred, 3 * 512u);
  EXPECT_EQ(fx.At(at + 2 * 512), 0x11);
  EXPECT_EQ(fx.At(at + 4 * 512), 0xAA) << "a block after the first failure was written";
}

TEST(RequestRingTest, FailedReadIsNarrowedToTheFailingBlocks) {
  Fixture fx;
  for (size_t i = 0; i < fx.dev->data.size(); ++i) fx.dev->data[i] = std::byte(i * 13 % 251);
  const uint64_t at = 262144;
  fx.env.AddRule({.kind = FaultRule::Kind::kFailRead, .path = kDev, .offset = at});
  fx.env.AddRule({.kind = FaultRule::Kind::kFailRead, .path = kDev, .offset = at + 15 * 512 + 511});
  auto ring = fx.Ring(IoRequest::Op::kRead);
  const RequestRing::Slot* s = RunOne(ring.get(), at);
  ASSERT_TRUE(s->narrowed);
  EXPECT_EQ(s->first_error.sys_errno(), EIO);
  ASSERT_EQ(s->failed_blocks.size(), 2u);
  EXPECT_EQ(s->failed_blocks[0].offset, at);
  EXPECT_EQ(s->failed_blocks[0].length, 512u);
  EXPECT_EQ(s->failed_blocks[0].status.sys_errno(), EIO);
  EXPECT_EQ(s->failed_blocks[1].offset, at + 15 * 512);
  EXPECT_EQ(s->failed_blocks[1].length, 512u);
  EXPECT_EQ(s->transferred, kReq - 2 * 512);
  // The blocks between them were read into the slot's buffer.
  EXPECT_EQ(std::memcmp(s->data + 512, fx.dev->data.data() + at + 512, 14 * 512), 0);
}

// A short completion, then a failure in the rest: only the rest is retried block by block.
TEST(RequestRingTest, FailureAfterAShortWriteNarrowsOnlyTheRest) {
  Fixture fx;
  const uint64_t at = 65536;
  fx.env.AddRule({.kind = FaultRule::Kind::kShortWrite, .path = kDev, .offset = at, .once = true});
  fx.env.AddRule({.kind = FaultRule::Kind::kFailWrite, .path = kDev, .offset = at + 12 * 512});
  auto ring = fx.Ring(IoRequest::Op::kWrite);
  const RequestRing::Slot* s = RunOne(ring.get(), at);
  ASSERT_TRUE(s->narrowed);
  EXPECT_EQ(s->queue_done, kReq / 2) << "the first half completed short, before the failure";
  ASSERT_EQ(s->failed_blocks.size(), 1u);
  EXPECT_EQ(s->failed_blocks[0].offset, at + 12 * 512);
  EXPECT_EQ(s->transferred, kReq - 512);
}

// The same for reads: the bytes the short completion read are kept, and only the rest is
// re-read block by block.
TEST(RequestRingTest, FailureAfterAShortReadNarrowsOnlyTheRest) {
  Fixture fx;
  for (size_t i = 0; i < fx.dev->data.size(); ++i) fx.dev->data[i] = std::byte(i * 3 % 251);
  const uint64_t at = 65536;
  fx.env.AddRule({.kind = FaultRule::Kind::kShortRead, .path = kDev, .offset = at, .once = true});
  fx.env.AddRule({.kind = FaultRule::Kind::kFailRead, .path = kDev, .offset = at + 10 * 512});
  auto ring = fx.Ring(IoRequest::Op::kRead);
  const RequestRing::Slot* s = RunOne(ring.get(), at);
  ASSERT_TRUE(s->narrowed);
  EXPECT_EQ(s->queue_done, kReq / 2);
  ASSERT_EQ(s->failed_blocks.size(), 1u);
  EXPECT_EQ(s->failed_blocks[0].offset, at + 10 * 512);
  EXPECT_EQ(s->failed_blocks[0].length, 512u);
  EXPECT_EQ(s->failed_blocks[0].status.sys_errno(), EIO);
  EXPECT_EQ(s->transferred, kReq - 512);
  EXPECT_EQ(std::memcmp(s->data, fx.dev->data.data() + at, 10 * 512), 0);
  EXPECT_EQ(std::memcmp(s->data + 11 * 512, fx.dev->data.data() + at + 11 * 512, 5 * 512), 0);
}

// Completes every request with zero bytes and no error, as a device that makes no progress.
class StalledQueue final : public IoQueue {
 public:
  explicit StalledQueue(unsigned depth) : depth_(depth) {}
  unsigned depth() const override { return depth_; }
  unsigned in_flight() const override { return static_cast<unsigned>(pending_.size()); }
  const char* engine() const override { return "stalled"; }
  Status Submit(const IoRequest& r) override {
    pending_.push_back(r);
    return Status::Ok();
  }
  Status Reap(unsigned, std::vector<IoCompletion>* out) override {
    for (const IoRequest& r : pending_) out->push_back({r.tag, 0, Status::Ok()});
    pending_.clear();
    return Status::Ok();
  }

 private:
  unsigned depth_;
  std::vector<IoRequest> pending_;
};

class StalledFile final : public BlockFileWrapper {
 public:
  explicit StalledFile(BlockFile* base) : BlockFileWrapper(base) {}
  Result<std::unique_ptr<IoQueue>> NewQueue(unsigned d) override {
    return std::unique_ptr<IoQueue>(std::make_unique<StalledQueue>(d));
  }
};

// A completion of zero bytes is a failure ("made no progress", EIO), narrowed like any other:
// here every block then writes on its own.
TEST(RequestRingTest, ZeroByteCompletionIsNarrowedAsAFailure) {
  Fixture fx;
  StalledFile stalled(fx.file.get());
  auto r = RequestRing::Create(
      &stalled, {.op = IoRequest::Op::kWrite, .request_bytes = kReq, .queue_depth = 2, .slots = 2});
  ASSERT_TRUE(r.ok());
  const RequestRing::Slot* s = RunOne(r->get(), 4 * kReq);
  ASSERT_TRUE(s->narrowed);
  EXPECT_EQ(s->first_error.sys_errno(), EIO);
  const std::string want =
      std::string(kDev) + ": write at offset " + std::to_string(4 * kReq) + " made no progress";
  EXPECT_EQ(s->first_error.message(), Status::IoError(want, EIO).message());
  EXPECT_TRUE(s->failed_blocks.empty());
  EXPECT_EQ(s->transferred, kReq);
  EXPECT_EQ(fx.At(4 * kReq), 0x11);
}

// Retire hands slots back strictly in the order they were prepared.
TEST(RequestRingTest, RetiresInPreparedOrderAndKeepsTheQueueDepth) {
  Fixture fx;
  auto ring = fx.Ring(IoRequest::Op::kWrite);
  ASSERT_EQ(ring->slot_count(), 6u);
  for (uint64_t i = 0; i < 6; ++i) {
    ASSERT_TRUE(ring->CanPrepare());
    std::memset(ring->Prepare(i * kReq, kReq).data, static_cast<int>(i + 1), kReq);
  }
  EXPECT_FALSE(ring->CanPrepare());
  ASSERT_TRUE(ring->SubmitReady().ok());
  EXPECT_EQ(ring->in_flight(), 4u) << "queue_depth bounds what is in flight";
  EXPECT_EQ(ring->submitted(), 4u);
  std::vector<uint64_t> order;
  while (ring->retired() < 6) {
    ASSERT_TRUE(ring->Reap(1).ok());
    while (const RequestRing::Slot* s = ring->Retire()) order.push_back(s->offset / kReq);
    ASSERT_TRUE(ring->SubmitReady().ok());
  }
  EXPECT_EQ(order, (std::vector<uint64_t>{0, 1, 2, 3, 4, 5}));
  for (uint64_t i = 0; i < 6; ++i) EXPECT_EQ(fx.At(i * kReq), i + 1);
}

}  // namespace
}  // namespace kesu
