// Issuing one signed document of the station (certs/document.h) from a command: `kesu inspect
// --certify`, `kesu fingerprint` and `kesu return-check`. Prepare merges the configuration with
// the certificate options (the same as `kesu erase`: cli/cert_options.h) and loads and checks
// the signer before the command reads anything long; Issue builds the envelope (BuildDocument),
// signs and stores (IssueDocument: STEM.json, STEM.json.p7s, STEM.pdf, the ledger line).
// Not thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "certs/document.h"
#include "certs/issue.h"
#include "devices/device.h"
#include "env/env.h"

namespace kesu {

class DocumentStation {
 public:
  DocumentStation(Env* env, std::string config_path, CertificateOptions options);
  // Configuration, passphrase (on the terminal when needed) and signer. Fails as
  // PrepareCertificates and LoadStationSigner do (exit 2).
  Status Prepare();
  // Prepare in two steps, for a command that checks its input between them: the
  // configuration (trust anchor, context) first, the signer — which makes the first-use key
  // when none is configured — only once the input is known to be good.
  Status PrepareSetup();
  Status LoadSigner();  // once; later calls return OK
  // Issues `content` with `extra` files beside it. Only after Prepare() returned OK.
  Result<IssuedCertificate> Issue(const DocumentContent& content,
                                  const std::vector<ExtraFile>& extra);
  const std::string& cert_dir() const;
  // After Prepare: the configured trust anchor's path ("" when none) and the SHA-256
  // fingerprint of this station's signing certificate.
  const std::string& trust_anchor() const;
  // After Prepare: the context documents are issued with (configuration, options and, with a
  // work order, the order's fields).
  const CertificateContext& context() const;
  std::string signer_sha256() const;

 private:
  Env* env_;
  std::string config_path_;
  CertificateOptions options_;
  std::optional<CertificateSetup> setup_;
  std::optional<certs::Signer> signer_;
};

// A document's subject for a device or image: path, name, model, serial, wwn, firmware,
// size_bytes, logical_sector_bytes, transport, type (as the erasure certificate names them).
nlohmann::json DeviceSubject(const DeviceInfo& d);

// Prints where an issued document went: "  signed: JSON (ledger #N)" and its PDF, on stdout.
void PrintIssued(const IssuedCertificate& ic);

}  // namespace kesu
