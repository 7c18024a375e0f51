// `kesu cert verify`, and the check `kesu cert show` and `kesu cert pdf` run before they print:
// every check a certificate must pass (docs/certificates.md "Checking a certificate"). Reads
// files through Env. Thread-safe.
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

// What a verification concluded, in the order a reader needs it.
enum class CertVerdict {
  kValid,         // every check passed and the outcome is success: the medium was sanitized;
                  // for a document of another kind (certs/document.h): every check passed
  kNotSanitized,  // every check passed, but the certificate records failed, partial,
                  // interrupted (or no) outcome: authentic, and the medium was NOT sanitized
  kUntrusted,     // the signature covers the bytes, but the signer does not chain to the trust
                  // anchor (or none was given)
  kInvalid,       // another check failed: the file is not an authentic kesu certificate
};

struct CertVerifyReport {
  std::string file;
  std::string check;    // first failed check: "input", "signature", "chain", "validity",
                        // "schema", "page", "qr", "ledger"; "" when every check passed
  std::string message;  // one line
  std::vector<std::string> passed;  // checks that passed, with detail
  std::string id, outcome, json_sha256;
  std::string kind = "erasure";  // certs/document.h DocumentKindName of the document
  bool pdf = false;        // FILE was a PDF (the JSON and signature came from its attachments)
  bool untrusted = false;  // check == "chain" because the signer is not trusted (see kUntrusted)
  std::string json_bytes, p7s_der;  // what was checked; empty when FILE could not be read
  bool ok() const { return check.empty(); }
  CertVerdict verdict() const;
  // One line: "VALID — certificate ID, outcome success", "AUTHENTIC — medium NOT sanitized
  // (failed)", "UNTRUSTED — ..." or "INVALID — ..." (without the file name).
  std::string VerdictLine() const;
};

// FILE is X.json (X.json.p7s beside it) or a PDF whose attachments hold both. For a PDF, the
// "page" check re-renders the PDF from the verified attachments (RenderCertificatePdfBytes is a
// pure function of them) and requires FILE to be byte-identical, so an overlay, an incremental
// update, an added annotation or page, or any changed byte fails with "page altered".
// Never returns a non-OK status for a bad certificate: that is a report with `check` set.
// Non-OK only when FILE itself cannot be read: kNotFound, or kInvalidArgument when it is not a
// regular file (a FIFO, a device, a directory) or is larger than a certificate can be (16 MiB);
// both exit 2.
Result<CertVerifyReport> VerifyCertificateFile(Env* env, const std::string& file,
                                               const CertVerifyOptions& opts);

}  // namespace kesu::certs
