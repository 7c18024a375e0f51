// Test doubles for the erasure job's interfaces (erase/job.h Confirmer, Certifier, JobProgress)
// and a firmware method built in code, shared by the job tests that drive a fake drive.
#pragma once

#include <string>
#include <vector>

#include "erase/job.h"
#include "methods/method.h"

namespace kesu::testing {

// Confirms every target except the one at `decline`, recording what it was asked.
class RecordingConfirmer final : public Confirmer {
 public:
  Status Ready() override { return Status::Ok(); }
  bool Confirm(const DeviceInfo& d, const Method& m) override {
    confirmed.push_back(m.id);
    confirmed_paths.push_back(d.path);
    return d.path != decline;
  }
  std::vector<std::string> confirmed;        // method ids, in the order asked
  std::vector<std::string> confirmed_paths;  // the targets, in the same order
  std::string decline;                       // the target the operator declines
};

// Certifies every result as issued, keeping the results and their target indices.
class RecordingCertifier final : public Certifier {
 public:
  Status Prepare() override { return Status::Ok(); }
  Certification Certify(size_t i, const ErasureResult& r) override {
    certified.push_back(r);
    certified_index.push_back(i);
    return {true, r.outcome, Status::Ok()};
  }
  std::vector<ErasureResult> certified;
  std::vector<size_t> certified_index;
};

class NoProgress final : public JobProgress {
 public:
  void Start(const std::vector<const TargetProgress*>&) override {}
  void Stop() override {}
};

// A firmware method running `command`, fully verified, claiming `category` on `media`.
inline Method FirmwareTestMethod(const std::string& command, MediaType media, NistCategory category,
                                 char sha) {
  Method m;
  m.id = command;
  m.title = command;
  m.reference = "unit test";
  m.kind = MethodKind::kFirmware;
  m.firmware = FirmwareSpec();
  m.firmware->command = command;
  m.verify = {VerifyMode::kFull, 0};
  m.nist[media] = category;
  m.file_sha256 = std::string(64, sha);
  return m;
}

}  // namespace kesu::testing
