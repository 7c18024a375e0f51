// The working part of `kesu station`: the drives it shows, the erasure jobs it runs on them
// (erase/job.h, one RunEraseJob per batch the operator confirms or unattended mode picks, each
// on its own thread, so drives that appear later start while others run), the certificates
// every job issues with one signer, and the disposal report of the computer.
//
// Thread-safety: Rescan, Busy, Snapshot and IssueReport may be called from any thread (one
// mutex guards the rows; the erasure threads only touch the rows through it); Start and Wait
// from one thread only.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "certs/issue.h"
#include "certs/keys.h"
#include "cli/station.h"
#include "devices/discovery.h"
#include "erase/job.h"
#include "erase/progress.h"

namespace kesu {

// One drive as the station shows it.
struct StationRow {
  enum class State : uint8_t {
    kAvailable,  // may be selected
    kRefused,    // the safety gate refuses it (reason in `note`)
    kRunning,    // in a running job
    kDone,       // its job ended (outcome, certificate or error below)
    kGone,       // no longer in /sys/block before it was erased
  };
  DeviceInfo device;
  State state = State::kAvailable;
  std::string line;     // while running: the live progress line; after: the final one
  std::string note;     // the refusal, or why the job stopped, or the certification error
  std::string outcome;  // kDone: the outcome name
  std::string certificate_id, certificate_file;  // kDone, when issued
};

// "gpt, 2 partitions: ext4, ntfs" / "ext4 (whole disk)" / "nothing found": what a drive holds.
std::string DescribeHoldings(const DeviceInfo& d);
// The firmware erase commands the drive reports (DeviceInfo::sanitize_commands), "-" when none.
std::string DescribeFirmware(const DeviceInfo& d);

class StationRunner {
 public:
  // Where the station's output goes: one line at a time (the plain log).
  using LogFn = std::function<void(const std::string&)>;
  // `job` is the template of every job (method, engine options, arm_stop); its targets are
  // replaced. `setup` and `signer` are the loaded station signer (LoadStationSigner); they sign
  // every certificate and the report. `discovery` describes drives. All must outlive the
  // runner.
  StationRunner(Env* env, EraseJobInput job, const CertificateSetup* setup,
                const certs::Signer* signer, DiscoveryOptions discovery, LogFn log);
  ~StationRunner();  // waits for running jobs

  // Polls /sys/block (DriveWatcher); new disks are described (discovery, with the gate's
  // verdict) and appended as rows, except the boot medium, which is never listed (logged
  // once). A row whose disk went away and has not been erased becomes kGone. Returns the
  // indexes of the rows added.
  std::vector<size_t> Rescan();
  // Starts one erasure job over `rows` (kAvailable ones; others are skipped) on its own
  // thread. Returns how many drives it started.
  size_t Start(const std::vector<size_t>& rows);
  bool Busy() const;  // a job is running
  // The rows now; running rows get a fresh progress line fitted to `width`.
  std::vector<StationRow> Snapshot(size_t width);
  // The serials of the boot media Rescan found and left out.
  std::set<std::string> BootMediumSerials() const;
  // Issues the disposal report of the computer: a signed document of kind "disposal-report"
  // (DisposalReportContent; certs/document.h IssueDocument: STEM.json, .json.p7s, .pdf, a
  // ledger line, and STEM.txt with DisposalReportText) in the certificate directory. Call once,
  // when nothing runs any more. Returns what was issued, or why it could not be.
  Result<IssuedCertificate> IssueReport();
  // Waits for every running job.
  void Wait();

 private:
  class BatchCertifier;
  class BatchProgress;
  void RunBatch(std::vector<size_t> rows);
  void Finish(const std::vector<size_t>& rows, const EraseJobOutcome& outcome);
  DisposalReport BuildReport();

  Env* env_;
  EraseJobInput job_;
  const CertificateSetup* setup_;
  const certs::Signer* signer_;
  DiscoveryOptions discovery_;
  LogFn log_;
  DriveWatcher watcher_;
  mutable std::mutex mu_;  // rows_, live_, rates_, running_
  std::mutex issue_mu_;    // one IssueCertificates / report write at a time
  std::vector<StationRow> rows_;
  std::set<std::string> boot_serials_;
  std::vector<const TargetProgress*> live_;  // per row, while its job runs
  std::vector<PhaseRate> rates_;             // per row
  int running_ = 0;
  std::vector<std::thread> threads_;
};

}  // namespace kesu
