// What one pass's three threads share (erase/pass_runner.h): the writer publishes how far its
// writes completed and which ranges it skipped, the syncer how far they are durable, and the
// verifier reads behind both through a PassGate and hands its bytes to a SkipAwareConsumer.
//
// Thread-safety: PassShared's fields are guarded by `mu` (the atomics mirror flags the writer
// polls on its hot path without the lock); PassGate and SkipAwareConsumer are used by the
// verifier thread and lock `mu` themselves.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <vector>

#include "base/status.h"
#include "erase/progress.h"
#include "verify/content_check.h"
#include "verify/region_reader.h"
#include "verify/sample_plan.h"

namespace kesu {

// True when `stop` (may be nullptr) was set by a stop request (SIGINT/SIGTERM).
inline bool Stopped(const std::atomic<bool>* stop) {
  return stop != nullptr && stop->load(std::memory_order_relaxed);
}

struct PassShared {
  std::mutex mu;
  std::condition_variable cv;
  uint64_t written = 0;  // contiguous prefix whose writes completed (or were skipped)
  uint64_t durable = 0;  // prefix made durable by the syncer
  bool writer_done = false;
  bool final_durable = false;
  bool abort = false;  // the pass failed or was stopped: syncer and verifier give up
  Status sync_error;
  bool writer_parked = false;
  std::atomic<bool> want_head{false};  // the verifier asks the writer to pause (rotational)
  std::atomic<bool> abort_flag{false};
  std::atomic<size_t> skipped_count{0};
  std::vector<Region> skipped;  // ranges the writer could not write (partial): sorted by
                                // offset and merged (InsertSkipped), whatever order the
                                // failed requests completed in
};

// Adds `r` to `ranges` (sorted, non-overlapping, non-touching), keeping them so: the
// verifier's SkipAwareConsumer walks them in order. The caller holds the lock guarding them.
void InsertSkipped(std::vector<Region>* ranges, Region r);

// Bytes of `plan` not inside `skipped` (both sorted and non-overlapping).
uint64_t PlannedExcluding(const std::vector<Region>& plan, const std::vector<Region>& skipped);

// Opens a verifier's read window: durable, and `distance` behind the writer, or everything
// once the pass is complete and flushed. With `share_head` (rotational media), a burst asks
// the writer to park until it ends. WaitReadable returns false once the pass is aborted or a
// stop is requested.
class PassGate final : public ReadGate {
 public:
  PassGate(PassShared* s, uint64_t distance, uint64_t size, const std::atomic<bool>* stop,
           bool share_head)
      : s_(s), distance_(distance), size_(size), stop_(stop), share_head_(share_head) {}

  uint64_t Readable() override;
  bool WaitReadable(uint64_t end) override;
  void BeginBurst() override;
  void EndBurst() override;

 private:
  uint64_t ReadableLocked() const;
  PassShared* s_;
  uint64_t distance_, size_;
  const std::atomic<bool>* stop_;
  bool share_head_;
};

// Passes verified bytes to the ContentCheck, leaving out ranges the writer skipped, and counts
// them in `progress` (may be nullptr).
class SkipAwareConsumer final : public RegionConsumer {
 public:
  SkipAwareConsumer(PassShared* s, ContentCheck* check, TargetProgress* progress)
      : s_(s), check_(check), progress_(progress) {}
  void Consume(uint64_t offset, const std::byte* data, size_t len) override;
  void Unreadable(uint64_t offset, uint64_t len, const Status& error) override {
    check_->Unreadable(offset, len, error);
  }

 private:
  void Pass(uint64_t offset, const std::byte* data, size_t len);
  PassShared* s_;
  ContentCheck* check_;
  TargetProgress* progress_;
};

}  // namespace kesu
