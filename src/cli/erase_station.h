// The station side of an erasure job (erase/job.h) for `kesu erase`: the certificates it
// issues (certs/), the operator's confirmation on the terminal, and the progress view.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "certs/issue.h"
#include "certs/keys.h"
#include "cli/progress_view.h"
#include "env/env.h"
#include "erase/job.h"

namespace kesu {

// Issues the station's signed certificates (certs/issue.h) from a CertificateSetup the command
// made with PrepareCertificates before the job (the configuration, the options and the work
// order merged; the passphrase prompt in it). Prepare loads and checks the signer, asking for
// the key's passphrase when needed; its failures are those of LoadStationSigner with "cannot
// sign certificates (nothing was written to any target)" in front. Certify issues one
// certificate (JSON, signature, PDF, ledger line). Not thread-safe (the job calls it from one
// thread).
class StationCertifier final : public Certifier {
 public:
  StationCertifier(Env* env, CertificateSetup setup);
  Status Prepare() override;
  Certification Certify(size_t index, const ErasureResult& result) override;
  void Inspected(size_t index, const nlohmann::json& inspection) override;
  // What Certify(index) wrote, or nullptr when it wrote no entry at all.
  const IssuedCertificate* issued(size_t index) const;
  // The custody gaps the certificates record (clause 3-10 ③), one line each, for the console.
  const std::vector<std::string>& custody_gaps() const { return custody_gaps_; }

 private:
  Env* env_;
  std::optional<CertificateSetup> setup_;
  std::optional<certs::Signer> signer_;
  std::vector<std::optional<IssuedCertificate>> issued_;
  std::vector<nlohmann::json> inspections_;  // by target index: before.inspection
  std::vector<std::string> custody_gaps_;
};

// The operator types each target's serial (or its file name, for an image; or its device
// name when it reports none) on the terminal; with `yes`, nothing is asked. Ready fails
// (kInvalidArgument) without `yes` when stdin is not a terminal. Not thread-safe.
class TerminalConfirmer final : public Confirmer {
 public:
  explicit TerminalConfirmer(bool yes) : yes_(yes) {}
  Status Ready() override;
  bool Confirm(const DeviceInfo& dev, const Method& method) override;

 private:
  bool yes_;
};

// How the prompt names `d`: "/dev/sdb (MODEL), 256 MiB, serial S" (sizes: HumanBytes).
std::string DescribeForPrompt(const DeviceInfo& d);

// What the operator types to confirm `d`: its serial, or its file name for an image, or its
// device name when it reports no serial.
std::string ConfirmToken(const DeviceInfo& d);

// Shows progress with a ProgressView in `mode` (kLines every `lines_interval`), answering
// SIGUSR1 status requests (erase/stop_signal.h). Not thread-safe.
class TerminalProgress final : public JobProgress {
 public:
  TerminalProgress(Env* env, ProgressView::Mode mode,
                   std::chrono::seconds lines_interval = ProgressView::kDefaultLinesInterval)
      : env_(env), mode_(mode), lines_interval_(lines_interval) {}
  void Start(const std::vector<const TargetProgress*>& targets) override;
  void Stop() override;

 private:
  Env* env_;
  ProgressView::Mode mode_;
  std::chrono::seconds lines_interval_;
  std::unique_ptr<ProgressView> view_;
};

}  // namespace kesu
