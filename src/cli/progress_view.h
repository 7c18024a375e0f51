// The terminal view of running targets (`kesu erase`): a thread that samples each target's
// TargetProgress (erase/progress.h) and renders it — one line per target redrawn in place on a
// TTY, fitted to the terminal's width (at least 80 columns); otherwise (a log, a pipe, an SSH
// session without a terminal) one plain line per target every `lines_interval` and once more
// at the end; or JSON lines on stdout with --json — and a status line per target on request
// (SIGUSR1). The rate shown is each target's PhaseRate.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "env/env.h"
#include "erase/progress.h"

namespace kesu {

class ProgressView {
 public:
  enum class Mode { kTty, kLines, kJson, kQuiet };
  static constexpr std::chrono::seconds kDefaultLinesInterval{60};
  // `targets` must outlive Stop(). Lines go to stderr (kTty, kLines) or stdout (kJson).
  // `lines_interval` (at least 1 s) is how often kLines prints.
  ProgressView(Env* env, std::vector<const TargetProgress*> targets, Mode mode,
               std::chrono::seconds lines_interval = kDefaultLinesInterval);
  ~ProgressView();
  // While running, when `*flag` becomes true (SIGUSR1, erase/stop_signal.h) the view clears
  // it and prints one status line per target to stderr ("kesu: status: " FormatLine),
  // whatever the mode, within kStatusPollMs. Call before Start(); `flag` must outlive Stop().
  void SetStatusRequest(std::atomic<bool>* flag) { status_request_ = flag; }
  static constexpr int kStatusPollMs = 250;
  // Starts the rendering thread (none in kQuiet). Call at most once.
  void Start();
  // Stops the thread and prints a final frame (kTty, kLines) so the lines end complete.
  // Idempotent.
  void Stop();

  // One rendered line for a target (exposed for tests), sampling `rate` at `now_ns`:
  // "name pass 1/3 write  [####....]  50% 512/1024 MiB  812 MB/s ETA 0:00:01" (phase "done"
  // when finished), then " ver N%" while a verification is planned. The ETA is the current
  // phase's: the bytes left to write in every pass, or to verify in this pass. The line fits
  // in `width` columns: the bar (at most 20) shrinks, then goes; then, only when
  // `shorten_name`, the name loses its start ("…p/kesu/a.img"). A name is never shortened
  // otherwise, so logs can be searched for it.
  static std::string FormatLine(const TargetProgress& t, uint64_t now_ns, PhaseRate* rate,
                                size_t width = 80, bool shorten_name = false);
  // The same as one JSON object ({"event":"progress",...}, integers only).
  static std::string FormatJson(const TargetProgress& t, uint64_t now_ns, PhaseRate* rate);

 private:
  void Loop();
  void Render(bool final);
  void PrintStatus();
  Env* env_;
  std::vector<const TargetProgress*> targets_;
  std::vector<PhaseRate> rates_;  // one per target, used by the rendering thread only
  Mode mode_;
  std::chrono::seconds lines_interval_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  int lines_drawn_ = 0;
  std::atomic<bool>* status_request_ = nullptr;
};

}  // namespace kesu
