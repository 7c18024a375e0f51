// One erasure job: the order in which `kesu erase` works through its targets, as library code
// that a test drives on the in-memory Env (the command only parses, prints and picks the exit
// code). RunEraseJob:
//   1. describes every target (devices/discovery.h; a target named twice is bad input); with a
//      work order, checks that the order allows erasure today with the method
//      (config/work_order.h CheckOrderAllowsErasure: instruction, due date, method) and names
//      every target (CheckTargetOnOrder); then passes all of them through the safety gate,
//      opening each for writing (OpenForErase);
//   1b. for a firmware method, opens each target's firmware driver and checks that the drive
//      supports the command (erase/firmware_runner.h CheckFirmwareMethod); a drive that lacks
//      it stops the job (kUnsupported, exit 2), unless the method names a fallback, which that
//      target then runs instead (recorded in its result);
//      A drive whose command is refused only because it is frozen (ATA security frozen by the
//      BIOS, or sanitize frozen) stops the job (kRefused, exit 3: the fix names --unfreeze and
//      re-plugging; a fallback is not taken for it, since the drive has the command), unless
//      `unfreeze_seconds` is set: then it waits for step 5b;
//   1c. hidden areas: for every target on an ATA-capable transport (SATA, SAS, SCSI, USB) whose
//      drive answers ATA (OpenFirmwareDriver gives the ATA driver), reads the accessible and
//      native capacity (HPA, DCO) without changing anything; other targets record
//      "not-applicable";
//   2. creates the result directory, when one is asked for;
//   3. asks the Confirmer whether it can confirm at all (before any key is made or loaded);
//   4. prepares the Certifier (loads the station signer and checks it), so that a missing key
//      or a wrong passphrase stops the job while every target is untouched;
//   5. has the operator confirm each target (Confirmer::Confirm);
//   5b. with `unfreeze_seconds` and at least one frozen target: suspends the machine to RAM
//      once (Env::SuspendToRam), probes each frozen drive again and goes on with those no
//      longer frozen (the suspend is noted in their firmware record); each one still frozen,
//      or every one when the machine cannot suspend, is refused (TargetOutcome::refused);
//   6. runs the whole gate again on the open files (RecheckBeforeWrite): the prompt may have
//      waited while something mounted, attached or swapped on a target;
//   6b. on each target with a hidden area whose method restores the native capacity
//      (Method::RestoresNativeCapacity): RestoreNativeMax, then the kernel rescans the disk
//      (/sys/block/NAME/device/rescan) and its size must be the native capacity; an overwrite
//      target is then opened again (OpenForErase, the whole gate) so the engine covers it. A
//      target where any of this fails is refused (kRefused), and nothing is written to it;
//      a method that keeps hidden areas gets its NIST category withdrawn ("none") and the
//      sectors left are recorded (ErasureResult::hidden_areas, status "left");
//   7. arms the stop flag, then erases every target at once (one RunErasure per target, each
//      on its own thread, preceded on that thread by the inspection the certificate carries:
//      verify/inspection.h on the open file, before the first write), reporting through
//      JobProgress;
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
#include <nlohmann/json.hpp>
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
  // Step 8, just before Certify(index): the inspection made on that target before its first
  // write (verify/inspection.h InspectReportToJson, or {"result": "not-inspected", "error"}),
  // for the certificate's before.inspection. Not called when no inspection was made.
  virtual void Inspected(size_t index, const nlohmann::json& inspection) {
    (void)index;
    (void)inspection;
  }
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
  const Method* method = nullptr;    // an overwrite or firmware method; must outlive the call
  // The method a firmware method falls back to on a drive that lacks its command, when its
  // file says on_unsupported = "fallback" (the caller resolves FirmwareSpec::fallback_method);
  // nullptr: such a drive stops the job. Must outlive the call.
  const Method* fallback = nullptr;
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
  // Inspect each target (verify/inspection.h, the default plan, seeded by
  // engine.sample_seed when set; signatures located by libblkid unless discovery.prober is
  // set) on its open file just before its first write: TargetOutcome::inspection, handed to
  // Certifier::Inspected before Certify.
  bool inspect = true;
  // `--unfreeze[=SECONDS]`: suspend to RAM for this long to unfreeze frozen ATA drives (step
  // 5b); nullopt: a frozen drive stops the job.
  std::optional<uint32_t> unfreeze_seconds;
};

// How a work order's serial list names `d` (config/work_order.h SerialAllowed): its serial,
// its file name when it is an image file, its backing file's name when it is a loop device.
TargetName WorkOrderTargetName(const DeviceInfo& d);

// The step a job stopped at; kDone when it erased and certified every target.
enum class JobStep : uint8_t {
  kDescribe,      // a target could not be described, or was named twice
  kWorkOrder,     // the work order refused the erasure or a target
  kGate,          // the safety gate refused a target, or it could not be opened
  kFirmware,      // a target's drive lacks the firmware method's command (no fallback)
  kResultDir,     // the result directory could not be created
  kConfirmReady,  // the Confirmer cannot confirm
  kPrepare,       // the Certifier could not prepare (signer)
  kConfirm,       // the operator declined a target
  kRecheck,       // the gate refused a target on its open file after confirmation
  kDone,
};
const char* JobStepName(JobStep step);  // "describe", "gate", "firmware", ..., "done"

struct TargetOutcome {
  DeviceInfo device;            // as described and gated
  ErasureResult result;         // the engine's record
  std::string result_path;      // its record in the result directory; "" when none written
  Certification certification;  // what the Certifier made of it
  nlohmann::json inspection;    // made before the first write; null when none was made
  // Not OK: the target was refused after confirmation (still frozen after --unfreeze, or its
  // hidden area could not be removed): nothing was written to it, `result` holds only the
  // device and the refusal as its error, no result record or certificate was made.
  Status refused;
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
