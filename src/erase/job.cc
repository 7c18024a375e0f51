// The erasure job: see job.h.
#include "erase/job.h"

#include <memory>
#include <set>
#include <thread>

#include "crypto/sha256.h"
#include "devices/layout.h"
#include "devices/safety.h"
#include "erase/firmware_runner.h"
#include "erase/hidden_areas.h"
#include "erase/result_json.h"
#include "verify/inspection.h"
#include "verify/leaf_sidecar.h"
#include "verify/region_digest.h"

namespace kesu {

const char* JobStepName(JobStep step) {
  switch (step) {
    case JobStep::kDescribe:
      return "describe";
    case JobStep::kWorkOrder:
      return "work-order";
    case JobStep::kGate:
      return "gate";
    case JobStep::kFirmware:
      return "firmware";
    case JobStep::kResultDir:
      return "result-dir";
    case JobStep::kConfirmReady:
      return "confirm-ready";
    case JobStep::kPrepare:
      return "prepare";
    case JobStep::kConfirm:
      return "confirm";
    case JobStep::kRecheck:
      return "recheck";
    case JobStep::kDone:
      break;
  }
  return "done";
}

namespace {

// One target on its way through the job.
struct Target {
  DeviceInfo dev;
  std::unique_ptr<BlockFile> file;
  TargetProgress progress;
  ErasureResult result;
  nlohmann::json inspection;               // made in step 7 before the first write
  const Method* method = nullptr;          // what runs on it: the job's method or its fallback
  std::unique_ptr<FirmwareDriver> driver;  // firmware methods
  std::optional<FirmwareRecord> fallback;  // why the fallback runs instead
  FirmwareCaps caps;                       // what the firmware step's probe found
  bool frozen = false;                     // waits for --unfreeze (step 5b)
  std::string unfreeze_note;               // the suspend that unfroze it
  std::unique_ptr<FirmwareDriver> ata;     // overwrite on an ATA drive: for hidden areas
  HiddenAreaRecord hidden;
  Status refused;  // refused after confirmation: nothing is written to it
};

class Job {
 public:
  Job(Env* env, const EraseJobInput& in, Confirmer* confirmer, Certifier* certifier,
      JobProgress* progress)
      : env_(env), in_(in), confirmer_(confirmer), certifier_(certifier), progress_(progress) {}

  EraseJobOutcome Run() {
    if (DescribeAll() && CheckWorkOrder() && GateAll() && CheckFirmwareAll() && DetectHiddenAll() &&
        MakeResultDir() && ConfirmerReady() && PrepareCertifier() && ConfirmAll() &&
        UnfreezeAll() && RecheckAll()) {
      RestoreHiddenAll();
      EraseAll();
      Report();
    }
    return std::move(out_);
  }

 private:
  // Records why the job stops before writing; returns false (the step failed).
  bool Stopped(JobStep step, Status s, std::optional<size_t> target) {
    out_.stopped_at = step;
    out_.status = std::move(s);
    out_.target = target;
    return false;
  }

  // Step 1: every target described, each named once (by its canonical path).
  bool DescribeAll() {
    std::set<std::string> seen;
    for (size_t i = 0; i < in_.targets.size(); ++i) {
      const std::string& path = in_.targets[i];
      auto d = DescribeTarget(env_, path, in_.discovery);
      if (!d.ok()) return Stopped(JobStep::kDescribe, d.status(), i);
      if (!seen.insert(d->path).second) {
        return Stopped(JobStep::kDescribe,
                       Status::InvalidArgument(path + ": named twice; name each target once"), i);
      }
      auto t = std::make_unique<Target>();
      t->dev = std::move(*d);
      targets_.push_back(std::move(t));
    }
    return true;
  }

  // Step 1 (cont.): the work order allows erasure today with this method, and names every
  // target; checked before any target is opened.
  bool CheckWorkOrder() {
    if (in_.work_order == nullptr) return true;
    Status s = CheckOrderAllowsErasure(*in_.work_order, in_.method->id, TodayLocal(env_),
                                       in_.allow_overdue);
    if (!s.ok()) return Stopped(JobStep::kWorkOrder, s, std::nullopt);
    for (size_t i = 0; i < targets_.size(); ++i) {
      s = CheckTargetOnOrder(*in_.work_order, WorkOrderTargetName(targets_[i]->dev));
      if (!s.ok()) return Stopped(JobStep::kWorkOrder, s, i);
    }
    return true;
  }

  // Step 1 (cont.): the gate on every target before any is written; each stays open.
  bool GateAll() {
    for (size_t i = 0; i < targets_.size(); ++i) {
      auto f = OpenForErase(env_, targets_[i]->dev);
      if (!f.ok()) return Stopped(JobStep::kGate, f.status(), i);
      targets_[i]->file = std::move(*f);
    }
    return true;
  }

  // Step 1b: a firmware method's command on every target's drive, or the fallback.
  bool CheckFirmwareAll() {
    for (size_t i = 0; i < targets_.size(); ++i) {
      Target& t = *targets_[i];
      t.method = in_.method;
      if (in_.method->kind != MethodKind::kFirmware) continue;
      FirmwareCaps caps;
      auto d = OpenFirmwareDriver(env_, t.dev, t.file.get());
      Status s = d.ok() ? CheckFirmwareMethod(d->get(), t.dev, *in_.method, &caps)
                        : Status::Unsupported(d.status().message() + "; method " + in_.method->id +
                                              " needs the drive's own command: nothing was "
                                              "written; choose an overwrite method for it");
      t.caps = caps;
      if (s.ok()) {
        t.driver = std::move(*d);
        continue;
      }
      if (IsFrozenFor(caps, in_.method->firmware->command)) {
        if (!in_.unfreeze_seconds) {
          return Stopped(JobStep::kFirmware, FrozenRefusal(t.dev, caps, *in_.method), i);
        }
        t.driver = std::move(*d);
        t.frozen = true;  // step 5b
        continue;
      }
      if (s.code() != Code::kUnsupported || in_.fallback == nullptr) {
        return Stopped(JobStep::kFirmware, s, i);
      }
      FirmwareRecord fb;
      fb.command = in_.method->firmware->command;
      fb.protocol = caps.protocol;
      fb.fallback_from = in_.method->id;
      fb.unsupported_reason = s.message();
      t.fallback = fb;
      t.method = in_.fallback;
    }
    return true;
  }

  // Step 1c: what each target hides (nothing is changed on any drive).
  bool DetectHiddenAll() {
    for (auto& tp : targets_) {
      Target& t = *tp;
      FirmwareDriver* ata = nullptr;
      std::optional<FirmwareCaps> caps;
      if (t.driver) {
        ata = std::string(t.driver->protocol()) == "ata" ? t.driver.get() : nullptr;
        if (ata) caps = t.caps;
      } else if (MayAnswerAta(t.dev)) {
        if (auto d = OpenFirmwareDriver(env_, t.dev, t.file.get());
            d.ok() && std::string((*d)->protocol()) == "ata") {
          t.ata = std::move(*d);
          ata = t.ata.get();
        }
      }
      if (ata != nullptr && !caps) {
        auto probed = ata->Probe();
        if (probed.ok()) {
          caps = *probed;
        } else {
          t.hidden = UnknownHiddenAreas(t.dev, probed.status().message());
          continue;
        }
      }
      t.hidden = ata == nullptr
                     ? NotApplicable(t.dev)
                     : DescribeHiddenAreas(t.dev, *caps, t.method->RestoresNativeCapacity());
    }
    return true;
  }

  // Step 2.
  bool MakeResultDir() {
    if (in_.result_dir.empty()) return true;
    Status s = env_->CreateDir(in_.result_dir, 0700);
    return s.ok() || Stopped(JobStep::kResultDir, s, std::nullopt);
  }

  // Step 3: can anyone confirm? Asked before the signer is loaded, so that no first-use key
  // is made for a job that cannot go on.
  bool ConfirmerReady() {
    Status s = confirmer_->Ready();
    return s.ok() || Stopped(JobStep::kConfirmReady, s, std::nullopt);
  }

  // Step 4: the signer, before anything is written.
  bool PrepareCertifier() {
    Status s = certifier_->Prepare();
    return s.ok() || Stopped(JobStep::kPrepare, s, std::nullopt);
  }

  // Step 5: every target confirmed, in order; the first one declined stops the job.
  bool ConfirmAll() {
    for (size_t i = 0; i < targets_.size(); ++i) {
      if (!confirmer_->Confirm(targets_[i]->dev, *targets_[i]->method)) {
        return Stopped(JobStep::kConfirm,
                       Status::Refused(targets_[i]->dev.path + ": not confirmed"), i);
      }
    }
    return true;
  }

  // Step 5b: one suspend to RAM for every frozen target, then each is probed again.
  bool UnfreezeAll() {
    std::vector<Target*> frozen;
    for (auto& t : targets_) {
      if (t->frozen) frozen.push_back(t.get());
    }
    if (frozen.empty()) return true;
    const uint32_t secs = *in_.unfreeze_seconds;
    Status suspended = env_->SuspendToRam(secs);
    for (Target* t : frozen) {
      t->frozen = false;
      if (!suspended.ok()) {
        t->refused = SuspendFailedRefusal(t->dev, suspended);
        continue;
      }
      FirmwareCaps caps;
      Status s = CheckFirmwareMethod(t->driver.get(), t->dev, *in_.method, &caps);
      if (s.ok()) {
        t->caps = caps;
        t->unfreeze_note = UnfrozenNote(secs);
      } else {
        t->refused = StillFrozenRefusal(t->dev, caps, *in_.method, s);
      }
    }
    return true;
  }

  // Step 6: the whole gate again on each open file, right before the first write.
  bool RecheckAll() {
    for (size_t i = 0; i < targets_.size(); ++i) {
      if (!targets_[i]->refused.ok()) continue;
      Status s = RecheckBeforeWrite(env_, targets_[i]->dev, targets_[i]->file.get());
      if (!s.ok()) return Stopped(JobStep::kRecheck, s, i);
    }
    return true;
  }

  // Step 6b: the hidden areas removed where the method asks, before the first write.
  void RestoreHiddenAll() {
    for (auto& tp : targets_) {
      Target& t = *tp;
      if (!t.refused.ok() || t.hidden.status != kHiddenFound) continue;
      FirmwareDriver* ata = t.ata ? t.ata.get() : t.driver.get();
      auto bytes = RestoreNativeCapacity(env_, ata, t.dev, &t.hidden);
      if (!bytes.ok()) {
        t.refused = bytes.status();
        continue;
      }
      t.dev.size = *bytes;
      if (t.driver) continue;  // the drive's command needs no host I/O of this size
      // The open file keeps the size it had at open: open the target again, through the gate.
      t.ata.reset();
      t.file.reset();
      auto f = OpenForErase(env_, t.dev);
      if (!f.ok()) {
        t.refused = Status::Refused(f.status().message() +
                                    " (after its native capacity was restored; nothing was "
                                    "written to it)");
        continue;
      }
      t.file = std::move(*f);
    }
  }

  // Step 7: every target at once, one engine per target on its own thread.
  void EraseAll() {
    const std::atomic<bool>* stop = in_.arm_stop ? in_.arm_stop() : nullptr;
    std::vector<const TargetProgress*> views;
    for (auto& t : targets_) {
      if (!t->refused.ok()) continue;
      t->progress.name = t->dev.path;
      views.push_back(&t->progress);
    }
    if (progress_ != nullptr) progress_->Start(views);
    std::vector<std::thread> threads;
    for (auto& t : targets_) {
      if (!t->refused.ok()) continue;
      threads.emplace_back([this, stop, tp = t.get()] {
        EngineOptions o = in_.engine;
        o.stop = stop;
        o.progress = &tp->progress;
        o.hash_threads = DefaultHashThreads(static_cast<unsigned>(targets_.size()));
        ApplyCachePolicy(tp->dev, &o);
        tp->inspection = Inspect(tp, stop);
        if (tp->driver) {
          tp->result = RunFirmwareErasure(env_, tp->file.get(), tp->dev, *tp->method,
                                          tp->driver.get(), o, in_.discovery);
        } else {
          tp->result = RunErasure(env_, tp->file.get(), tp->dev, *tp->method, o);
          if (tp->fallback) tp->result.firmware = tp->fallback;
        }
        if (!tp->unfreeze_note.empty() && tp->result.firmware) {
          tp->result.firmware->notes.insert(tp->result.firmware->notes.begin(), tp->unfreeze_note);
        }
        ApplyHiddenAreas(tp->hidden, &tp->result);
      });
    }
    for (auto& th : threads) th.join();
    if (progress_ != nullptr) progress_->Stop();
    for (auto& t : targets_) {  // closed before anything is reported
      t->driver.reset();
      t->ata.reset();
      t->file.reset();
    }
  }

  // Step 7, on the target's thread before its first write: the inspection the certificate
  // carries as before.inspection (verify/inspection.h, the default plan: a few seconds at
  // most). A failure to inspect is recorded, and does not stop the erasure.
  nlohmann::json Inspect(Target* t, const std::atomic<bool>* stop) {
    if (!in_.inspect) return nullptr;
    InspectOptions io;
    io.seed = in_.engine.sample_seed;
    io.stop = stop;
    // Where the signatures and partitions lie: libblkid on the target (opened read-only, not
    // exclusively), unless the job's contents come from an injected prober (tests).
    MediumLayout layout;
    if (in_.discovery.prober == nullptr && in_.discovery.probe_contents) {
      if (auto l = ProbeMediumLayout(t->dev.path); l.ok()) layout = std::move(*l);
    }
    io.layout = &layout;
    auto r = InspectOpenTarget(env_, t->file.get(), t->dev, io);
    if (r.ok()) return InspectReportToJson(*r);
    return {{"result", "not-inspected"}, {"error", r.status().message()}};
  }

  // Step 8: the result records (atomic, 0600), then one certificate per target.
  void Report() {
    for (auto& t : targets_) {
      TargetOutcome o;
      o.device = t->dev;
      o.result = std::move(t->result);
      o.inspection = std::move(t->inspection);
      o.refused = t->refused;
      if (!o.refused.ok()) {
        o.result.device = t->dev;
        o.result.outcome = Outcome::kFailed;
        o.result.errors = {o.refused.message()};
      }
      out_.targets.push_back(std::move(o));
    }
    if (!in_.result_dir.empty()) {
      for (TargetOutcome& t : out_.targets) {
        if (!t.refused.ok()) continue;
        ErasureResult& r = t.result;
        std::string name = r.device.name.empty() ? "target" : r.device.name;
        std::string stem = name + "-" + std::to_string(r.start_ms);
        std::string path = JoinPath(in_.result_dir, stem + ".result.json");
        Status s = WriteSidecar(stem + ".leaves.gz", &r.verification);
        if (s.ok()) s = env_->WriteFileAtomic(path, ResultToJson(r).dump(2) + "\n", 0600);
        if (s.ok()) {
          t.result_path = path;
        } else if (out_.records_error.ok()) {
          out_.records_error = s;
        }
      }
    }
    for (size_t i = 0; i < out_.targets.size(); ++i) {
      if (!out_.targets[i].refused.ok()) continue;  // nothing was done: nothing to certify
      if (!out_.targets[i].inspection.is_null()) {
        certifier_->Inspected(i, out_.targets[i].inspection);
      }
      out_.targets[i].certification = certifier_->Certify(i, out_.targets[i].result);
    }
  }

  // Writes the content digest's leaves beside the result record (verify/leaf_sidecar.h) and
  // names the file and its SHA-256 in `v`; nothing when no digest was taken.
  Status WriteSidecar(const std::string& file, VerificationRecord* v) {
    if (v->leaves.empty()) return Status::Ok();
    KESU_ASSIGN_OR_RETURN(std::string gz, EncodeLeafSidecar(*v));
    KESU_RETURN_IF_ERROR(env_->WriteFileAtomic(JoinPath(in_.result_dir, file), gz, 0600));
    v->leaves_file = file;
    v->leaves_sha256 = Sha256::HexOf(gz.data(), gz.size());
    return Status::Ok();
  }

  Env* env_;
  const EraseJobInput& in_;
  Confirmer* confirmer_;
  Certifier* certifier_;
  JobProgress* progress_;
  std::vector<std::unique_ptr<Target>> targets_;
  EraseJobOutcome out_;
};

}  // namespace

TargetName WorkOrderTargetName(const DeviceInfo& d) {
  return TargetName{d.serial, d.path, d.transport == Transport::kLoop ? d.backing_file : "",
                    d.transport == Transport::kFile};
}

EraseJobOutcome RunEraseJob(Env* env, const EraseJobInput& input, Confirmer* confirmer,
                            Certifier* certifier, JobProgress* progress) {
  return Job(env, input, confirmer, certifier, progress).Run();
}

}  // namespace kesu
