// Issuing one signed document of the station: see document_station.h.
#include "cli/document_station.h"

#include <cstdio>

#include "cli/cli.h"

namespace kesu {

DocumentStation::DocumentStation(Env* env, std::string config_path, CertificateOptions options)
    : env_(env), config_path_(std::move(config_path)), options_(std::move(options)) {}

Status DocumentStation::Prepare() {
  KESU_RETURN_IF_ERROR(PrepareSetup());
  return LoadSigner();
}

Status DocumentStation::PrepareSetup() {
  KESU_ASSIGN_OR_RETURN(CertificateSetup setup,
                        PrepareCertificates(env_, config_path_, options_, TtyPrompt));
  setup_ = std::move(setup);
  return Status::Ok();
}

Status DocumentStation::LoadSigner() {
  if (!setup_) return Status::Internal("document station: PrepareSetup first");
  if (signer_) return Status::Ok();
  auto signer = LoadStationSigner(env_, setup_->context, setup_->options);
  if (!signer.ok()) return signer.status().WithContext("cannot sign the document");
  signer_ = std::move(*signer);
  return Status::Ok();
}

const std::string& DocumentStation::cert_dir() const { return setup_->options.cert_dir; }

const std::string& DocumentStation::trust_anchor() const { return setup_->options.trust_anchor; }

const CertificateContext& DocumentStation::context() const { return setup_->context; }

std::string DocumentStation::signer_sha256() const {
  return certs::Summarize(signer_->cert.get()).sha256_fingerprint;
}

Result<IssuedCertificate> DocumentStation::Issue(const DocumentContent& content,
                                                 const std::vector<ExtraFile>& extra) {
  if (!setup_ || !signer_) return Status::Internal("document station not prepared");
  CertificateContext ctx = setup_->context;
  // BuildDocument wants an id and a time; IssueDocument replaces both when it issues.
  ctx.id = "00000000-0000-4000-8000-000000000000";
  ctx.issued_ms = env_->NowUnixMillis();
  ctx.signer = certs::Summarize(signer_->cert.get());
  KESU_ASSIGN_OR_RETURN(nlohmann::json doc, BuildDocument(content, ctx));
  IssuedCertificate out;
  KESU_RETURN_IF_ERROR(IssueDocument(env_, doc, setup_->options, *signer_, extra, &out));
  return out;
}

nlohmann::json DeviceSubject(const DeviceInfo& d) {
  return {{"path", d.path},
          {"name", d.name},
          {"model", d.model},
          {"serial", d.serial},
          {"wwn", d.wwn},
          {"firmware", d.firmware},
          {"size_bytes", d.size},
          {"logical_sector_bytes", d.logical_sector},
          {"transport", TransportName(d.transport)},
          {"type", MediaTypeName(d.media)}};
}

void PrintIssued(const IssuedCertificate& ic) {
  std::printf("  signed: %s (ledger #%llu)\n", ic.json_path.c_str(),
              static_cast<unsigned long long>(ic.ledger_seq));
  if (!ic.pdf_path.empty()) std::printf("  pdf: %s\n", ic.pdf_path.c_str());
  for (const std::string& w : ic.warnings) std::fprintf(stderr, "kesu: warning: %s\n", w.c_str());
}

}  // namespace kesu
