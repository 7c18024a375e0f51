// The station side of an erasure job: see erase_station.h.
#include "cli/erase_station.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "certs/record_issue.h"
#include "cli/cli.h"
#include "cli/console_text.h"
#include "erase/stop_signal.h"

namespace kesu {

StationCertifier::StationCertifier(Env* env, CertificateSetup setup)
    : env_(env), setup_(std::move(setup)) {}

Status StationCertifier::Prepare() {
  auto signer = LoadStationSigner(env_, setup_->context, setup_->options);
  if (!signer.ok()) {
    return signer.status().WithContext(
        "cannot sign certificates (nothing was written to any target)");
  }
  signer_ = std::move(*signer);
  return Status::Ok();
}

Certification StationCertifier::Certify(size_t index, const ErasureResult& result) {
  Certification c;
  if (!setup_ || !signer_) {
    c.error = Status::Internal(result.device.path + ": certificates were not prepared");
    return c;
  }
  // The custody chain so far (clause 3-10 ③), looked up by serial, else by path; a gap is
  // recorded on the certificate and shown on the console, never hidden.
  CertificateContext ctx = setup_->context;
  const std::string subject =
      result.device.serial.empty() ? result.device.path : result.device.serial;
  auto chain = CustodyChainForWork(env_, setup_->options.cert_dir, subject);
  if (!chain.ok()) {
    c.error = chain.status().WithContext(result.device.path + ": custody chain");
    return c;
  }
  if (*chain) {
    ctx.custody = **chain;
    for (const std::string& g : CustodyGaps(**chain)) custody_gaps_.push_back(g);
  }
  std::vector<IssuedCertificate> out;
  if (index < inspections_.size() && !inspections_[index].is_null()) {
    ctx.inspection = inspections_[index];
  }
  Status s = IssueCertificates(env_, ctx, {result}, setup_->options, *signer_, &out);
  if (issued_.size() <= index) issued_.resize(index + 1);
  if (!out.empty()) {
    issued_[index] = out.front();
    c.issued = out.front().error.empty();
    c.recorded = out.front().outcome;
  }
  if (!c.issued) c.error = s.ok() ? Status::Internal(result.device.path + ": not issued") : s;
  return c;
}

void StationCertifier::Inspected(size_t index, const nlohmann::json& inspection) {
  if (inspections_.size() <= index) inspections_.resize(index + 1);
  inspections_[index] = inspection;
}

const IssuedCertificate* StationCertifier::issued(size_t index) const {
  if (index >= issued_.size() || !issued_[index]) return nullptr;
  return &*issued_[index];
}

std::string ConfirmToken(const DeviceInfo& d) {
  if (d.transport == Transport::kFile) return d.path.substr(d.path.rfind('/') + 1);
  if (!d.serial.empty()) return d.serial;
  return d.name;
}

std::string DescribeForPrompt(const DeviceInfo& d) {
  std::string s = d.path;
  if (!d.model.empty()) s += " (" + d.model + ")";
  s += ", " + HumanBytes(d.size);
  if (!d.serial.empty()) s += ", serial " + d.serial;
  return s;
}

Status TerminalConfirmer::Ready() {
  if (!yes_ && !::isatty(STDIN_FILENO)) {
    return Status::InvalidArgument(
        "confirmation needed: pass --yes (stdin is not a terminal to type the serial on)");
  }
  return Status::Ok();
}

bool TerminalConfirmer::Confirm(const DeviceInfo& dev, const Method& method) {
  if (yes_) return true;
  std::string token = ConfirmToken(dev);
  std::fprintf(stderr,
               "kesu: about to erase %s with method %s; all data on it will be lost.\n"
               "Type '%s' to confirm: ",
               DescribeForPrompt(dev).c_str(), method.id.c_str(), token.c_str());
  std::fflush(stderr);
  std::string typed;
  return std::getline(std::cin, typed) && typed == token;
}

void TerminalProgress::Start(const std::vector<const TargetProgress*>& targets) {
  view_ = std::make_unique<ProgressView>(env_, targets, mode_, lines_interval_);
  view_->SetStatusRequest(StatusRequestFlag());
  view_->Start();
}

void TerminalProgress::Stop() {
  if (view_) view_->Stop();
}

}  // namespace kesu
