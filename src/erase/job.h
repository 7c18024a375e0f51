// One erasure job: the order in which `kesu erase` works through its targets, as library code
// that a test drives on the in-memory Env (the command only parses, prints and picks the exit
// code). RunEraseJob:
//   1. describes every target (devices/discovery.h; a target named twice is bad input); with a
//      work order, checks that the order allows erasure today with the method
//      (config/work_order.h CheckOrderAllowsErasure: instruction, due date, method) and names
//      every target (CheckTargetOnOrder); then passes all of them through the safety gate,
//      opening each for writing (OpenForErase);
//   2. creates the result directory, when one is asked for;
//   3. asks the Confirmer whether it can confirm at all (before any key is made or loaded);
//   4. prepares the Certifier (loads the station signer and checks it), so that a missing key
//      or a wrong passphrase stops the job while every target is untouched;
//   5. has the operator confirm each target (Confirmer::Confirm);
//   6. runs the whole gate again on the open files (RecheckBeforeWrite): the prompt may have
//      waited while something mounted, attached or swapped on a target;
//   7. arms the stop flag, then erases every target at once (one RunErasure per target, each
//      on its own thread), reporting through JobProgress;
//   8. writes each target's result record (when a result directory is given) and has the
//      Certifier certify every result, whatever its outcome, in the order the targets were
//      named.
// Any failure in steps 1-6 stops the job before anything is written to any target (every
// target opened so far is closed again); the outcome says which step stopped it, why and for
// which target. Steps 7-8 always run to the end once started.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "config/work_order.h"
#include "devices/device.h"
#include "devices/discovery.h"
#include "env/env.h"
#include "erase/engine.h"
#include "erase/progress.h"
#include "erase/result.h"
#include "methods/method.h"

namespace kesu {

// What certifying one result produced.
struct Certification {
  bool issued = false;                  // a certificate was written for the result
  Outcome recorded = Outcome::kFailed;  // the outcome the certificate records (when issued)
  Status error;                         // why none was issued (OK when issued)
};

// Signs the record of each erasure. Implemented above this layer (the command uses certs/).
// Called from the job's thread only, never concurrently.
class Certifier {
 public:
  virtual ~Certifier() = default;
  // Step 4, before anything is written: loads and checks whatever signing needs. A non-OK
  // status stops the job (nothing is written; the status is the outcome's).
  virtual Status Prepare() = 0;
  // Step 8, once per target after every target finished, in target order (`index` into the
  // job's targets), for every outcome: a failed or interrupted erasure gets a certificate
  // that says so. Only called after Prepare() returned OK.
  virtual Certification Certify(size_t index, const ErasureResult& result) = 0;
};

// The operator's consent. Called from the job's thread only.
class Confirmer {
 public:
  virtual ~Confirmer() = default;
  // Step 3: OK when Confirm can be answered (e.g. there is a terminal to type on, or consent
  // was given up front); a non-OK status stops the job.
  virtual Status Ready() = 0;
  // Step 5, once per target in order until one is declined: true to erase `dev` with
  // `method`. A false answer stops the job (kRefused; nothing is written).
  virtual bool Confirm(const DeviceInfo& dev, const Method& method) = 0;
};

// Watches the targets while they are erased. Called from the job's thread only.
class JobProgress {
 public:
  virtual ~JobProgress() = default;
  // Just before the first write; `targets` (one per target, in order, name = device path)
  // stay valid until Stop() returns and are updated by the engines' threads (atomics).
  virtual void Start(const std::vector<const TargetProgress*>& targets) = 0;
  // After every target finished.
  virtual void Stop() = 0;
};

struct EraseJobInput {
  std::vector<std::string> targets;  // paths as named (block devices or image files)
  const Method* method = nullptr;    // an overwrite method; must outlive the call
  // Template for every target's engine (verification, request sizes); the job sets `stop`,
  // `progress` and, per target, the cache policy (ApplyCachePolicy).
  EngineOptions engine;
  std::string result_dir;      // "" = write no result records
  DiscoveryOptions discovery;  // how targets are described (contents prober)
  // Called once, just before the first write (never when the job stops earlier): installs
  // whatever sets the returned flag (signal handlers) and returns it; the engines poll it.
  // Empty, or returning nullptr: the erasure cannot be stopped.
  std::function<const std::atomic<bool>*()> arm_stop;
  // The work order the job runs under (must outlive the call), or nullptr for none; and
  // whether an overdue order may be worked. "Today" is TodayLocal(env).
  const WorkOrder* work_order = nullptr;
  bool allow_overdue = false;
};

// How a work order's serial list names `d` (config/work_order.h SerialAllowed): its serial,
// its file name when it is an image file, its backing file's name when it is a loop device.
TargetName WorkOrderTargetName(const DeviceInfo& d);

// The step a job stopped at; kDone when it erased and certified every target.
enum class JobStep : uint8_t {
  kDescribe,      // a target could not be described, or was named twice
  kWorkOrder,     // the work order refused the erasure or a target
  kGate,          // the safety gate refused a target, or it could not be opened
  kResultDir,     // the result directory could not be created
  kConfirmReady,  // the Confirmer cannot confirm
  kPrepare,       // the Certifier could not prepare (signer)
  kConfirm,       // the operator declined a target
  kRecheck,       // the gate refused a target on its open file after confirmation
  kDone,
};
const char* JobStepName(JobStep step);  // "describe", "gate", ..., "done"

struct TargetOutcome {
  DeviceInfo device;            // as described and gated
  ErasureResult result;         // the engine's record
  std::string result_path;      // its record in the result directory; "" when none written
  Certification certification;  // what the Certifier made of it
};

struct EraseJobOutcome {
  JobStep stopped_at = JobStep::kDone;
  Status status;                 // why it stopped before writing (OK when kDone)
  std::optional<size_t> target;  // the target (index into the input) the stop concerns
  // kDone only: one per target, in the order named.
  std::vector<TargetOutcome> targets;
  Status records_error;  // kDone only: the first result record that could not be written
  bool Erased() const { return stopped_at == JobStep::kDone; }
};

// Runs the job described above on `env`. `confirmer` and `certifier` are required;
// `progress` may be null. Never fails as a call: every problem is in the outcome. The
// targets' files are closed when it returns.
// Thread-safety: one job per set of targets; runs one engine thread per target and calls the
// interfaces from the calling thread only.
EraseJobOutcome RunEraseJob(Env* env, const EraseJobInput& input, Confirmer* confirmer,
                            Certifier* certifier, JobProgress* progress);

}  // namespace kesu
