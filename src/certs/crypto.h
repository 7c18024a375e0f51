// Small OpenSSL 3 helpers shared by the certificate code: owning pointers, digests, random
// identifiers, PEM/DER conversion and X.509 summaries. Everything here is pure computation on
// memory (no file or OS access: callers read and write through Env). Thread-safe: OpenSSL 3 is
// thread-safe for these calls.
#pragma once

#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "crypto/sha256.h"

namespace kesu::certs {

struct EvpPkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
struct X509ReqFree {
  void operator()(X509_REQ* p) const { X509_REQ_free(p); }
};
struct CmsFree {
  void operator()(CMS_ContentInfo* p) const { CMS_ContentInfo_free(p); }
};
struct BioFree {
  void operator()(BIO* p) const { BIO_free_all(p); }
};
struct X509StoreFree {
  void operator()(X509_STORE* p) const { X509_STORE_free(p); }
};
struct X509StoreCtxFree {
  void operator()(X509_STORE_CTX* p) const { X509_STORE_CTX_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, EvpPkeyFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using X509ReqPtr = std::unique_ptr<X509_REQ, X509ReqFree>;
using CmsPtr = std::unique_ptr<CMS_ContentInfo, CmsFree>;
using BioPtr = std::unique_ptr<BIO, BioFree>;
using StorePtr = std::unique_ptr<X509_STORE, X509StoreFree>;
using StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, X509StoreCtxFree>;

// The last OpenSSL error queue entry as text ("error:..."), and clears the queue.
std::string OpenSslError();

// Sha256Hex and ToHex live in crypto/sha256.h.

// A random (version 4) UUID from the OpenSSL DRBG, lowercase.
Result<std::string> NewUuid();

// UTC "YYYY-MM-DDTHH:MM:SSZ" and "YYYYMMDDTHHMMSSZ" for milliseconds since the epoch.
std::string UtcIso(int64_t unix_ms);
std::string UtcCompact(int64_t unix_ms);

// A memory BIO over `data` (read-only view; `data` must outlive it).
BioPtr MemBio(std::string_view data);
// Drains a memory BIO into a string.
std::string BioToString(BIO* bio);

// PEM text of one or more certificates; parsing fails with kInvalidArgument naming `what`.
Result<std::vector<X509Ptr>> ParseCertsPem(std::string_view pem, const std::string& what);
std::string CertToPem(X509* cert);

// Summary of a certificate for the certificate document's `signer` block.
struct CertSummary {
  std::string subject, issuer, serial_hex, sha256_fingerprint, not_before_utc, not_after_utc;
  bool self_signed = false;  // issuer == subject and signed by its own key, whatever keyUsage
};
CertSummary Summarize(X509* cert);
// One-line RFC 2253 name.
std::string NameToString(const X509_NAME* name);
// ASN1_TIME as seconds since the epoch; false when unparsable.
bool AsnTimeToUnix(const ASN1_TIME* t, int64_t* out);

}  // namespace kesu::certs
