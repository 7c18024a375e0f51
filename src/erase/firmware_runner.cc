// The firmware runner: see firmware_runner.h.
#include "erase/firmware_runner.h"

#include <linux/fs.h>

#include <algorithm>

#include "erase/drive_health.h"
#include "erase/result_aggregate.h"

namespace kesu {
namespace {

constexpr uint64_t kPollMillis = 1000;  // how often a running command is asked how it goes

// Sets the target's progress: one "pass", `fraction` of the size done.
void ShowProgress(TargetProgress* p, uint64_t size, double fraction) {
  if (p == nullptr) return;
  const uint64_t done = static_cast<uint64_t>(std::clamp(fraction, 0.0, 1.0) * size);
  p->pass_durable = done;
  p->total_durable = done;
}

bool Stopped(const EngineOptions& o) { return o.stop != nullptr && o.stop->load(); }

// Why the read-back found more than one kind of block: "zero, non-uniform".
std::string Found(const InspectReport& r) {
  std::vector<std::string> kinds;
  if (r.zero_blocks) kinds.emplace_back("zero");
  if (r.one_blocks) kinds.emplace_back("one");
  if (r.uniform_other_blocks) kinds.emplace_back("uniform");
  if (r.nonuniform_blocks) kinds.emplace_back("non-uniform");
  std::string s;
  for (const auto& k : kinds) {
    if (!s.empty()) s += ", ";
    s += k;
  }
  return s.empty() ? "nothing read" : s;
}

// Starts the command and polls it until it is done, fails or the operator stops the job.
// Returns the failure ("" when it completed); sets *interrupted when the wait was abandoned
// and *started once the command was sent.
std::string RunCommand(Env* env, FirmwareDriver* driver, const std::string& command, uint64_t size,
                       const EngineOptions& opts, bool* interrupted, bool* started) {
  if (Stopped(opts)) {
    *interrupted = true;
    return "";
  }
  *started = true;
  Status s = driver->Start(command);
  if (!s.ok()) return s.message();
  const uint64_t t0 = env->NowMonotonicNanos();
  for (;;) {
    auto p = driver->Poll();
    if (!p.ok()) return p.status().message();
    if (p->done) {
      if (p->failure.empty()) ShowProgress(opts.progress, size, 1.0);
      return p->failure;
    }
    if (p->fraction) {
      ShowProgress(opts.progress, size, *p->fraction);
    } else if (p->estimated_seconds > 0) {
      const double elapsed = (env->NowMonotonicNanos() - t0) / 1e9;
      ShowProgress(opts.progress, size, std::min(0.99, elapsed / p->estimated_seconds));
    }
    if (Stopped(opts)) {
      *interrupted = true;
      return "";
    }
    env->SleepForMillis(kPollMillis);
  }
}

// Reads back after the command (the method's sample or everything) and judges it.
void VerifyAfterFirmware(Env* env, const DeviceInfo& dev, const FirmwareCommandInfo& info,
                         const EngineOptions& opts, const DiscoveryOptions& discovery,
                         ResultAggregate* agg) {
  VerificationRecord& v = agg->result().verification;
  if (opts.verify.mode == VerifyMode::kNone) {
    v.expected = "none";
    return;
  }
  // The contents as they are now (signatures left behind), without the gate or device queries.
  DiscoveryOptions d = discovery;
  d.apply_gate = false;
  d.query_device = false;
  auto now = DescribeTarget(env, dev.path, d);
  if (!now.ok()) {
    agg->AddFailure(
        "verification after the firmware command: cannot describe the target "
        "again: " +
        now.status().message());
    return;
  }
  const DeviceInfo& after = *now;
  // The inspection plan (edges, every signature libblkid finds, partition starts) plus the
  // method's sample, or every byte for --verify full (verify/inspection.h InspectOptions).
  InspectOptions ro;
  ro.sample_percent = opts.verify.mode == VerifyMode::kFull ? 100 : opts.verify.sample_percent;
  ro.seed = opts.sample_seed;
  ro.stop = opts.stop;
  const uint64_t t0 = env->NowMonotonicNanos();
  auto report = InspectTarget(env, after, ro);
  if (!report.ok()) {
    agg->AddFailure("verification after the firmware command: " + report.status().message());
    return;
  }
  const uint64_t ns = env->NowMonotonicNanos() - t0;
  v.bytes_per_second = ns ? report->bytes_read * 1000000000ull / ns : 0;
  if (std::string bad = JudgeReadBack(info.effect, *report, &v); !bad.empty()) {
    agg->AddFailure(dev.path + ": " + bad);
  }
}

}  // namespace

Status CheckFirmwareMethod(FirmwareDriver* driver, const DeviceInfo& dev, const Method& method,
                           FirmwareCaps* caps) {
  const std::string& command = method.firmware ? method.firmware->command : "";
  const FirmwareCommandInfo* info = FindFirmwareCommand(command);
  if (info == nullptr) {
    return Status::InvalidArgument("method " + method.id + ": unknown firmware command '" +
                                   command + "'");
  }
  if (std::string(info->protocol) != driver->protocol()) {
    return Status::Unsupported(dev.path + ": method " + method.id + " sends a " + info->protocol +
                               " command and this is a " + driver->protocol() +
                               " drive; choose a method it supports (kesu list shows them)");
  }
  KESU_ASSIGN_OR_RETURN(*caps, driver->Probe());
  if (std::find(caps->commands.begin(), caps->commands.end(), command) != caps->commands.end()) {
    return Status::Ok();
  }
  std::string why;
  for (const auto& n : caps->notes) why += (why.empty() ? " (" : "; ") + n;
  return Status::Unsupported(dev.path + ": the drive does not support " + command +
                             (why.empty() ? "" : why + ")") +
                             "; nothing was written; choose a method it supports (kesu list "
                             "shows them)");
}

std::string JudgeReadBack(FirmwareEffect effect, const InspectReport& r, VerificationRecord* v) {
  v->found = Found(r);
  v->bytes_read = r.bytes_read;
  v->bytes_planned = r.bytes_planned;
  v->first_mismatches.clear();
  v->mismatched_bytes = 0;
  if (r.unreadable_bytes > 0) {
    v->unreadable.push_back({"read", 0, r.unreadable_bytes, 0, "unreadable after the command"});
    return std::to_string(r.unreadable_bytes) + " bytes could not be read back";
  }
  if (effect == FirmwareEffect::kCryptoErase) {
    v->expected = "any content without partition table or filesystem signatures";
    if (r.signatures.empty()) return "";
    std::string sigs;
    for (const auto& s : r.signatures) {
      if (!sigs.empty()) sigs += ", ";
      sigs += s;
    }
    v->mismatched_bytes = r.block_bytes;
    return "after the crypto erase the drive still shows " + sigs + "; it is NOT erased";
  }
  v->expected = effect == FirmwareEffect::kOverwrite ? "the drive's overwrite pattern (uniform)"
                                                     : "uniform blocks (zeros, ones or one fill)";
  if (r.nonuniform_blocks == 0 && r.signatures.empty()) return "";
  v->mismatched_bytes = r.nonuniform_blocks * r.block_bytes;
  v->first_mismatches = r.first_nonuniform;
  return std::to_string(r.nonuniform_blocks) + " of " + std::to_string(r.blocks) +
         " blocks read back are not uniform after the drive's erase: data is left; NOT erased";
}

ErasureResult RunFirmwareErasure(Env* env, BlockFile* file, const DeviceInfo& dev,
                                 const Method& method, FirmwareDriver* driver,
                                 const EngineOptions& opts, const DiscoveryOptions& discovery) {
  ResultAggregate agg(env, file->direct(), dev, method, opts);
  ErasureResult& r = agg.result();
  const std::string command = method.firmware ? method.firmware->command : "";
  const FirmwareCommandInfo* info = FindFirmwareCommand(command);
  if (TargetProgress* p = opts.progress) {
    p->passes = 1;
    p->pass = 1;
    p->size = file->size();
    p->start_ns = env->NowMonotonicNanos();
    p->state = TargetProgress::kWriting;
  }
  r.io_engine = "firmware";
  FirmwareRecord fw;
  fw.command = command;
  fw.protocol = driver->protocol();
  fw.technique = info ? info->technique : "";
  if (info == nullptr) {
    agg.AddError("method " + method.id + ": unknown firmware command '" + command + "'");
    r.health.notes.emplace_back("not read: the erasure did not start");
    r.firmware = fw;
    return agg.End(Outcome::kFailed);
  }
  r.health.protocol = fw.protocol;
  ReadHealthInto(driver, "before", &r.health.before, &r.health.notes);
  fw.health_before = r.health.before;
  bool interrupted = false, started = false;
  std::string failure =
      RunCommand(env, driver, command, file->size(), opts, &interrupted, &started);
  if (!failure.empty()) agg.AddFailure(failure);
  if (interrupted) {
    fw.notes.emplace_back(started ? "interrupted by the operator: a firmware command already "
                                    "started cannot be stopped; the drive finishes it on its own"
                                  : "interrupted by the operator before the command was sent: "
                                    "nothing was sent to the drive");
  }
  if (!failure.empty() || interrupted) {
    if (Status s = driver->Recover(&fw.notes); !s.ok()) agg.AddError(s.message());
  } else {
    // Buffered reads (the contents prober) must come from the medium, not from pages cached
    // before the command: BLKFLSBUF (linux/fs.h) writes back and drops the device's buffers.
    file->Ioctl(BLKFLSBUF, nullptr).IgnoreError();
    VerifyAfterFirmware(env, dev, *info, opts, discovery, &agg);
  }
  ReadHealthInto(driver, "after", &r.health.after, &r.health.notes);
  fw.health_after = r.health.after;
  fw.commands = driver->CommandLog();
  r.firmware = fw;
  if (!failure.empty()) return agg.End(Outcome::kFailed);
  if (interrupted) {
    agg.AddError(dev.path + (started ? ": interrupted while the drive ran " + command +
                                           "; a firmware command already started cannot be "
                                           "stopped: the drive finishes it on its own"
                                     : ": interrupted before " + command + " was sent"));
    return agg.End(Outcome::kInterrupted);
  }
  return agg.Finish(0);
}

}  // namespace kesu
