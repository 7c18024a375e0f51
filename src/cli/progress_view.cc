// The terminal view of an erasure's progress: see progress_view.h.
#include "cli/progress_view.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/cli.h"

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

namespace {

// "512/1024 MiB": both in the unit HumanBytes picks for `total`.
std::string BytesOf(uint64_t done, uint64_t total) {
  static const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  int u = 0;
  double scale = 1.0;
  while (static_cast<double>(total) / scale >= 1024.0 && u < 6) {
    scale *= 1024.0;
    ++u;
  }
  auto num = [&](uint64_t v) {
    char b[32];
    std::snprintf(b, sizeof b, u == 0 ? "%.0f" : "%.1f", static_cast<double>(v) / scale);
    std::string s = b;
    if (s.ends_with(".0")) s.resize(s.size() - 2);
    return s;
  };
  return num(done) + "/" + num(total) + " " + kUnits[u];
}

// Columns of `s` (UTF-8 code points).
size_t Columns(const std::string& s) {
  size_t w = 0;
  for (unsigned char c : s) w += (c & 0xC0) != 0x80;
  return w;
}

}  // namespace

std::string ProgressView::FormatLine(const TargetProgress& t, uint64_t now_ns, PhaseRate* rate,
                                     size_t width, bool shorten_name) {
  Figures f = Compute(t, now_ns, rate);
  uint64_t size = t.size.load(), pass_done = t.pass_durable.load();
  unsigned pct = size ? static_cast<unsigned>(pass_done * 100 / size) : 0;
  char b[96];
  std::snprintf(b, sizeof b, " pass %u/%u %-6s", t.pass.load(), t.passes.load(),
                PhaseRate::PhaseName(f.rate.phase));
  const std::string head = b;
  std::string speed = "   - MB/s";
  if (f.rate.known) {
    std::snprintf(b, sizeof b, "%4llu MB/s",
                  static_cast<unsigned long long>(f.rate.bytes_per_second / 1000000));
    speed = b;
  }
  std::snprintf(b, sizeof b, " %3u%% %s %s ETA %s", pct, BytesOf(pass_done, size).c_str(),
                speed.c_str(), f.eta_known ? Hms(f.eta_s).c_str() : "?");
  std::string tail = b;
  uint64_t planned = t.verify_planned.load();
  if (planned > 0) tail += " ver " + std::to_string(t.pass_verified.load() * 100 / planned) + "%";

  std::string name = t.name;
  const size_t fixed = Columns(name) + head.size() + tail.size();
  constexpr size_t kMaxBar = 20, kMinBar = 5;
  std::string bar;
  if (fixed + 3 + kMinBar <= width) {
    const size_t w = std::min(kMaxBar, width - fixed - 3);
    const size_t fill = pct * w / 100;
    bar = " [" + std::string(fill, '#') + std::string(w - fill, '.') + "]";
  } else if (shorten_name && fixed > width) {
    const size_t keep = std::max<size_t>(8, name.size() - std::min(name.size(), fixed - width + 1));
    if (keep < name.size()) name = "…" + name.substr(name.size() - keep);
  }
  return name + head + bar + tail;
}

std::string ProgressView::FormatJson(const TargetProgress& t, uint64_t now_ns, PhaseRate* rate) {
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

ProgressView::ProgressView(Env* env, std::vector<const TargetProgress*> targets, Mode mode,
                           std::chrono::seconds lines_interval)
    : env_(env),
      targets_(std::move(targets)),
      rates_(targets_.size()),
      mode_(mode),
      lines_interval_(std::max(lines_interval, std::chrono::seconds(1))) {}

ProgressView::~ProgressView() { Stop(); }

void ProgressView::Start() {
  if (mode_ == Mode::kQuiet || thread_.joinable()) return;
  thread_ = std::thread([this] { Loop(); });
}

void ProgressView::Stop() {
  {
    std::lock_guard<std::mutex> l(mu_);
    if (stop_) return;
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
    if (mode_ == Mode::kTty || mode_ == Mode::kLines) Render(true);
  }
}

void ProgressView::Loop() {
  const auto interval =
      mode_ == Mode::kTty ? std::chrono::milliseconds(250)
      : mode_ == Mode::kJson
          ? std::chrono::milliseconds(1000)
          : std::chrono::duration_cast<std::chrono::milliseconds>(lines_interval_);
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

void ProgressView::PrintStatus() {
  uint64_t now = env_->NowMonotonicNanos();
  std::string out;
  for (size_t i = 0; i < targets_.size(); ++i) {
    out += "kesu: status: " + FormatLine(*targets_[i], now, &rates_[i]) + "\n";
  }
  std::fputs(out.c_str(), stderr);
  std::fflush(stderr);
  lines_drawn_ = 0;  // a live display starts again below the status lines
}

void ProgressView::Render(bool final) {
  uint64_t now = env_->NowMonotonicNanos();
  switch (mode_) {
    case Mode::kTty: {
      std::string out;
      // Each line fits the terminal, so none wraps and moving up lines_drawn_ lines (CUU,
      // ECMA-48 8.3.22) reaches the first one again.
      const size_t width = ConsoleWidth(STDERR_FILENO);
      if (lines_drawn_ > 0) out += "\x1b[" + std::to_string(lines_drawn_) + "A";
      for (size_t i = 0; i < targets_.size(); ++i) {
        out += "\r\x1b[2K" + FormatLine(*targets_[i], now, &rates_[i], width, true) + "\n";
      }
      lines_drawn_ = static_cast<int>(targets_.size());
      std::fputs(out.c_str(), stderr);
      std::fflush(stderr);
      break;
    }
    case Mode::kLines:
      for (size_t i = 0; i < targets_.size(); ++i) {
        // 80 columns with the "kesu: " prefix.
        std::fprintf(stderr, "kesu: %s\n",
                     FormatLine(*targets_[i], now, &rates_[i], 80 - 6).c_str());
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
