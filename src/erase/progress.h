// Progress of running targets: the engine stores plain atomics in a TargetProgress (counted
// from completed, durable I/O — never computed from elapsed time); whoever watches the job
// (erase/job.h JobProgress, e.g. the command's terminal view) samples them.
// Nothing here prints. PhaseRate gives each target's own rate over a recent window of its
// current phase (writing or verifying one pass), so it follows the device as it speeds up or
// slows down and restarts with each phase.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "base/enum_table.h"

namespace kesu {

// Written by one target's engine threads, read by whoever watches. All fields are atomics.
struct TargetProgress {
  enum State : int { kPending = 0, kWriting = 1, kFinished = 2 };
  std::string name;  // set before the engine starts; not changed afterwards
  std::atomic<int> state{kPending};
  std::atomic<uint32_t> pass{0};            // 1-based current pass
  std::atomic<uint32_t> passes{0};          // total passes
  std::atomic<uint64_t> size{0};            // bytes per pass
  std::atomic<uint64_t> pass_durable{0};    // bytes of this pass written and made durable
  std::atomic<uint64_t> total_durable{0};   // across passes
  std::atomic<uint64_t> pass_verified{0};   // bytes read back and compared in this pass
  std::atomic<uint64_t> verify_planned{0};  // bytes the current pass's verification will read
  std::atomic<uint64_t> start_ns{0};        // Env monotonic clock at start
};

// The recent rate of one target's current phase: bytes made durable in the pass while it is
// written, bytes read back while it is verified. Samples older than the window are dropped
// (one older sample is kept as the window's start), and a new pass or phase starts afresh.
// Not thread-safe: one instance per target, used by the reporter thread only.
class PhaseRate {
 public:
  static constexpr uint64_t kWindowNs = 10'000'000'000;  // 10 s
  enum class Phase { kWrite, kVerify, kDone };
  struct Reading {
    Phase phase = Phase::kWrite;
    uint64_t bytes_per_second = 0;
    bool known = false;  // false until two samples of this phase are at least 1 ms apart
  };
  // Samples `t` at `now_ns` (monotonic) and returns the rate over the window.
  Reading Observe(const TargetProgress& t, uint64_t now_ns);
  static const char* PhaseName(Phase p);  // NameOf(kPhaseNames, p)
  // As the progress line and --progress json write them.
  static constexpr EnumName<Phase> kPhaseNames[] = {
      {Phase::kWrite, "write"}, {Phase::kVerify, "verify"}, {Phase::kDone, "done"}};

 private:
  uint32_t pass_ = 0;
  Phase phase_ = Phase::kDone;
  std::deque<std::pair<uint64_t, uint64_t>> samples_;  // (ns, bytes of this phase)
};

}  // namespace kesu
