// The erasure job: see job.h.
#include "erase/job.h"

#include <memory>
#include <set>
#include <thread>

#include "crypto/sha256.h"
#include "devices/safety.h"
#include "erase/result_json.h"
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
};

class Job {
 public:
  Job(Env* env, const EraseJobInput& in, Confirmer* confirmer, Certifier* certifier,
      JobProgress* progress)
      : env_(env), in_(in), confirmer_(confirmer), certifier_(certifier), progress_(progress) {}

  EraseJobOutcome Run() {
    if (DescribeAll() && CheckWorkOrder() && GateAll() && MakeResultDir() && ConfirmerReady() &&
        PrepareCertifier() && ConfirmAll() && RecheckAll()) {
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
      if (!confirmer_->Confirm(targets_[i]->dev, *in_.method)) {
        return Stopped(JobStep::kConfirm,
                       Status::Refused(targets_[i]->dev.path + ": not confirmed"), i);
      }
    }
    return true;
  }

  // Step 6: the whole gate again on each open file, right before the first write.
  bool RecheckAll() {
    for (size_t i = 0; i < targets_.size(); ++i) {
      Status s = RecheckBeforeWrite(env_, targets_[i]->dev, targets_[i]->file.get());
      if (!s.ok()) return Stopped(JobStep::kRecheck, s, i);
    }
    return true;
  }

  // Step 7: every target at once, one engine per target on its own thread.
  void EraseAll() {
    const std::atomic<bool>* stop = in_.arm_stop ? in_.arm_stop() : nullptr;
    std::vector<const TargetProgress*> views;
    for (auto& t : targets_) {
      t->progress.name = t->dev.path;
      views.push_back(&t->progress);
    }
    if (progress_ != nullptr) progress_->Start(views);
    std::vector<std::thread> threads;
    for (auto& t : targets_) {
      threads.emplace_back([this, stop, tp = t.get()] {
        EngineOptions o = in_.engine;
        o.stop = stop;
        o.progress = &tp->progress;
        o.hash_threads = DefaultHashThreads(static_cast<unsigned>(targets_.size()));
        ApplyCachePolicy(tp->dev, &o);
        tp->result = RunErasure(env_, tp->file.get(), tp->dev, *in_.method, o);
      });
    }
    for (auto& th : threads) th.join();
    if (progress_ != nullptr) progress_->Stop();
    for (auto& t : targets_) t->file.reset();  // closed before anything is reported
  }

  // Step 8: the result records (atomic, 0600), then one certificate per target.
  void Report() {
    for (auto& t : targets_) {
      TargetOutcome o;
      o.device = t->dev;
      o.result = std::move(t->result);
      out_.targets.push_back(std::move(o));
    }
    if (!in_.result_dir.empty()) {
      for (TargetOutcome& t : out_.targets) {
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
