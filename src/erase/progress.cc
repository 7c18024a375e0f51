// Progress reporting: see progress.h.
#include "erase/progress.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace kesu {
namespace {

struct Figures {
  PhaseRate::Reading rate;
  uint64_t eta_s = 0;
  bool eta_known = false;
};

Figures Compute(const TargetProgress& t, uint64_t now_ns, PhaseRate* rate) {
  Figures f;
  f.rate = rate->Observe(t, now_ns);
  uint64_t left = 0;
  if (f.rate.phase == PhaseRate::Phase::kWrite) {
    uint64_t total = static_cast<uint64_t>(t.passes.load()) * t.size.load();
    uint64_t done = t.total_durable.load();
    left = total > done ? total - done : 0;
  } else if (f.rate.phase == PhaseRate::Phase::kVerify) {
    uint64_t planned = t.verify_planned.load(), done = t.pass_verified.load();
    left = planned > done ? planned - done : 0;
  }
  if (f.rate.known && f.rate.bytes_per_second > 0) {
    f.eta_s = left / f.rate.bytes_per_second;
    f.eta_known = true;
  } else if (f.rate.phase == PhaseRate::Phase::kDone) {
    f.eta_known = true;
  }
  return f;
}

std::string Hms(uint64_t s) {
  char b[32];
  std::snprintf(b, sizeof b, "%llu:%02llu:%02llu", static_cast<unsigned long long>(s / 3600),
                static_cast<unsigned long long>(s / 60 % 60),
                static_cast<unsigned long long>(s % 60));
  return b;
}

}  // namespace

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

std::string ProgressReporter::FormatLine(const TargetProgress& t, uint64_t now_ns,
                                         PhaseRate* rate) {
  Figures f = Compute(t, now_ns, rate);
  uint64_t size = t.size.load(), pass_done = t.pass_durable.load();
  unsigned pct = size ? static_cast<unsigned>(pass_done * 100 / size) : 0;
  constexpr int kBar = 20;
  int fill = static_cast<int>(pct * kBar / 100);
  std::string bar(static_cast<size_t>(fill), '#');
  bar.append(static_cast<size_t>(kBar - fill), '.');
  char b[320];
  const char* state = t.state.load() == TargetProgress::kFinished ? " done" : "";
  char speed[32] = "     - MB/s";
  if (f.rate.known) {
    std::snprintf(speed, sizeof speed, "%6llu MB/s",
                  static_cast<unsigned long long>(f.rate.bytes_per_second / 1000000));
  }
  std::snprintf(b, sizeof b, "%-20s pass %u/%u %-6s [%s] %3u%% %8.1f/%.1f MiB %s ETA %s%s",
                t.name.c_str(), t.pass.load(), t.passes.load(), PhaseRate::PhaseName(f.rate.phase),
                bar.c_str(), pct, static_cast<double>(pass_done) / 1048576.0,
                static_cast<double>(size) / 1048576.0, speed,
                f.eta_known ? Hms(f.eta_s).c_str() : "?", state);
  std::string line = b;
  uint64_t planned = t.verify_planned.load();
  if (planned > 0) {
    line += "  verified " + std::to_string(t.pass_verified.load() * 100 / planned) + "%";
  }
  return line;
}

std::string ProgressReporter::FormatJson(const TargetProgress& t, uint64_t now_ns,
                                         PhaseRate* rate) {
  Figures f = Compute(t, now_ns, rate);
  nlohmann::json j{{"event", "progress"},
                   {"target", t.name},
                   {"pass", t.pass.load()},
                   {"passes", t.passes.load()},
                   {"bytes", t.pass_durable.load()},
                   {"size", t.size.load()},
                   {"verified", t.pass_verified.load()},
                   {"verify_planned", t.verify_planned.load()},
                   {"phase", PhaseRate::PhaseName(f.rate.phase)},
                   {"bytes_per_second", f.rate.known ? nlohmann::json(f.rate.bytes_per_second)
                                                     : nlohmann::json(nullptr)},
                   {"eta_s", f.eta_known ? nlohmann::json(f.eta_s) : nlohmann::json(nullptr)},
                   {"finished", t.state.load() == TargetProgress::kFinished}};
  return j.dump();
}

ProgressReporter::ProgressReporter(Env* env, std::vector<TargetProgress*> targets, Mode mode)
    : env_(env), targets_(std::move(targets)), rates_(targets_.size()), mode_(mode) {}

ProgressReporter::~ProgressReporter() { Stop(); }

void ProgressReporter::Start() {
  if (mode_ == Mode::kQuiet || thread_.joinable()) return;
  thread_ = std::thread([this] { Loop(); });
}

void ProgressReporter::Stop() {
  {
    std::lock_guard<std::mutex> l(mu_);
    if (stop_) return;
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
    if (mode_ == Mode::kTty) Render(true);
  }
}

void ProgressReporter::Loop() {
  const auto interval = mode_ == Mode::kTty    ? std::chrono::milliseconds(250)
                        : mode_ == Mode::kJson ? std::chrono::milliseconds(1000)
                                               : std::chrono::milliseconds(5000);
  const auto poll = std::chrono::milliseconds(kStatusPollMs);
  auto next = std::chrono::steady_clock::now() + interval;
  std::unique_lock<std::mutex> l(mu_);
  while (!stop_) {
    if (cv_.wait_for(l, std::min(poll, interval), [this] { return stop_; })) break;
    l.unlock();
    if (status_request_ != nullptr && status_request_->exchange(false)) PrintStatus();
    if (std::chrono::steady_clock::now() >= next) {
      Render(false);
      next = std::chrono::steady_clock::now() + interval;
    }
    l.lock();
  }
}

void ProgressReporter::PrintStatus() {
  uint64_t now = env_->NowMonotonicNanos();
  std::string out;
  for (size_t i = 0; i < targets_.size(); ++i) {
    out += "kesu: status: " + FormatLine(*targets_[i], now, &rates_[i]) + "\n";
  }
  std::fputs(out.c_str(), stderr);
  std::fflush(stderr);
  lines_drawn_ = 0;  // a live display starts again below the status lines
}

void ProgressReporter::Render(bool final) {
  uint64_t now = env_->NowMonotonicNanos();
  switch (mode_) {
    case Mode::kTty: {
      std::string out;
      if (lines_drawn_ > 0) out += "\x1b[" + std::to_string(lines_drawn_) + "A";
      for (size_t i = 0; i < targets_.size(); ++i) {
        out += "\r\x1b[2K" + FormatLine(*targets_[i], now, &rates_[i]) + "\n";
      }
      lines_drawn_ = static_cast<int>(targets_.size());
      std::fputs(out.c_str(), stderr);
      std::fflush(stderr);
      break;
    }
    case Mode::kLines:
      for (size_t i = 0; i < targets_.size(); ++i) {
        std::fprintf(stderr, "kesu: %s\n", FormatLine(*targets_[i], now, &rates_[i]).c_str());
      }
      break;
    case Mode::kJson:
      if (final) break;
      for (size_t i = 0; i < targets_.size(); ++i) {
        std::printf("%s\n", FormatJson(*targets_[i], now, &rates_[i]).c_str());
      }
      std::fflush(stdout);
      break;
    case Mode::kQuiet:
      break;
  }
}

}  // namespace kesu
