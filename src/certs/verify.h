// `kesu cert verify`: every check a certificate must pass (issue 4 item 7, docs/certificates.md
// "Checking a certificate"). Reads files through Env. Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "env/env.h"

namespace kesu::certs {

struct CertVerifyOptions {
  std::string trust_pem;  // PEM trust anchor(s); empty → the signer is reported untrusted
  std::string cert_dir;   // where ledger.jsonl is; empty → the directory of the file
};

struct CertVerifyReport {
  std::string file;
  std::string check;    // first failed check: "input", "signature", "chain", "validity",
                        // "schema", "qr", "ledger"; "" when valid
  std::string message;  // one line
  std::vector<std::string> passed;  // checks that passed, with detail
  std::string id, outcome, json_sha256;
  bool ok() const { return check.empty(); }
};

// FILE is X.json (X.json.p7s beside it) or a PDF whose attachments hold both. Never returns a
// non-OK status for a bad certificate: that is a report with `check` set. Non-OK only when
// FILE itself cannot be read (kNotFound → exit 2).
Result<CertVerifyReport> VerifyCertificateFile(Env* env, const std::string& file,
                                               const CertVerifyOptions& opts);

}  // namespace kesu::certs
