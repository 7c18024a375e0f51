// Detached CMS signatures over certificate bytes (RFC 5652).
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

// What checking a certificate chain found: `error` is an X509_V_ERR_* code (X509_V_OK when
// the chain is good) and `depth` the position of the certificate it concerns.
struct ChainCheck {
  int error = 0;
  int depth = 0;
  bool ok() const { return error == 0; }
};
// Checks `leaf` against the trust anchors in `anchors` at time `when_unix`: X509_verify_cert
// (RFC 5280 §6) with the certificates in `untrusted` (may be null) as intermediates and
// purpose S/MIME signing, then requires the anchor that ends the chain to be a CA certificate
// (X509_check_ca: basicConstraints CA:TRUE, and keyCertSign when keyUsage is present) other
// than `leaf` itself — so a station certificate given as its own trust anchor is reported
// X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, and a non-CA anchor X509_V_ERR_INVALID_CA.
// Thread-safe; clears the OpenSSL error queue.
ChainCheck VerifyChain(X509* leaf, STACK_OF(X509) * untrusted, const std::vector<X509Ptr>& anchors,
                       int64_t when_unix);

// Checks, before anything is signed or written, that `signer` may sign at `now_unix` (the Env
// clock): its certificate matches its key, is a signing certificate (keyUsage
// digitalSignature or nonRepudiation, not a CA), is valid now, and chains to `anchors` at
// `now_unix` through signer.chain. With no `anchors`, the self-signed CA certificates in
// signer.chain are the anchors; with none there either (the first-use self-signed key) the
// chain is not checked. `what` names the certificate file in messages. kInvalidArgument with
// one line naming the problem and the fix. Thread-safe.
Status CheckSigner(const Signer& signer, int64_t now_unix, const std::vector<X509Ptr>& anchors,
                   const std::string& what);

}  // namespace kesu::certs
