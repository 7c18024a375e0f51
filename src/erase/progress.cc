// Progress rates: see progress.h.
#include "erase/progress.h"

namespace kesu {

static_assert(CoversEachOnce(PhaseRate::kPhaseNames, PhaseRate::Phase::kDone));

const char* PhaseRate::PhaseName(Phase p) { return NameOf(kPhaseNames, p); }

PhaseRate::Reading PhaseRate::Observe(const TargetProgress& t, uint64_t now_ns) {
  Reading r;
  uint64_t bytes = 0;
  if (t.state.load() == TargetProgress::kFinished) {
    r.phase = Phase::kDone;
  } else if (t.pass_durable.load() < t.size.load() || t.verify_planned.load() == 0) {
    r.phase = Phase::kWrite;
    bytes = t.pass_durable.load();
  } else {
    r.phase = Phase::kVerify;
    bytes = t.pass_verified.load();
  }
  const uint32_t pass = t.pass.load();
  if (r.phase != phase_ || pass != pass_) samples_.clear();
  phase_ = r.phase;
  pass_ = pass;
  if (r.phase == Phase::kDone) return r;
  samples_.emplace_back(now_ns, bytes);
  while (samples_.size() > 2 && samples_[1].first + kWindowNs <= now_ns) samples_.pop_front();
  const auto& [t0, b0] = samples_.front();
  if (now_ns >= t0 + 1'000'000 && bytes >= b0) {
    r.bytes_per_second = static_cast<uint64_t>(static_cast<unsigned __int128>(bytes - b0) *
                                               1'000'000'000u / (now_ns - t0));
    r.known = true;
  }
  return r;
}

}  // namespace kesu
