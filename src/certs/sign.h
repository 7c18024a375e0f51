// Detached CMS signatures over certificate bytes (issue 4 item 2, RFC 5652).
//
// SignDetached makes a DER SignedData with no encapsulated content, one SignerInfo using
// ECDSA P-256 with SHA-256, signed attributes contentType, messageDigest and signingTime (the
// certificate's issue time, from the Env clock — not the host clock), and the signer
// certificate plus its chain in `certificates`. Stock OpenSSL verifies it with
//   openssl cms -verify -binary -inform DER -in X.json.p7s -content X.json -CAfile ca.pem
// VerifyDetached checks a signature in separate, named steps so `kesu cert verify` can say
// which one failed. Thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "certs/crypto.h"
#include "certs/keys.h"

namespace kesu::certs {

Result<std::string> SignDetached(const Signer& signer, std::string_view content,
                                 int64_t signing_time_unix_ms);

// What verifying a detached signature found. `check` names the first failed check:
// "signature", "chain", "validity" or "" when all passed; `message` says why in one line.
struct SignatureReport {
  bool signature_ok = false;  // the CMS signature covers exactly `content`
  bool trusted = false;       // the signer chains to a trust anchor at signing time
  std::string check, message;
  int64_t signing_time_unix = 0;  // from the signed signingTime attribute (0 if absent)
  CertSummary signer;
  bool ok() const { return check.empty(); }
};

// `trust_pem`: PEM certificates accepted as trust anchors (may be empty: then the signer is
// reported untrusted). The chain is built from the certificates in the CMS and checked with
// X509_VERIFY_PARAM time = signingTime, purpose S/MIME signing (what `openssl cms -verify`
// uses by default). Only a malformed .p7s yields a non-OK Result.
Result<SignatureReport> VerifyDetached(std::string_view content, std::string_view p7s_der,
                                       std::string_view trust_pem);

}  // namespace kesu::certs
