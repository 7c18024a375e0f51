// See crypto.h.
#include "certs/crypto.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <ctime>

namespace kesu::certs {

std::string OpenSslError() {
  unsigned long e = ERR_get_error();
  unsigned long last = e;
  while (e != 0) {
    last = e;
    e = ERR_get_error();
  }
  if (last == 0) return "no OpenSSL error reported";
  char buf[256];
  ERR_error_string_n(last, buf, sizeof buf);
  return buf;
}

Result<std::string> NewUuid() {
  unsigned char b[16];
  if (RAND_bytes(b, sizeof b) != 1) {
    return Status::Internal("certificate id: RAND_bytes failed: " + OpenSslError());
  }
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4 (RFC 9562 §5.4)
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // variant 10
  std::string h = ToHex(b, sizeof b);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20);
}

namespace {
std::string FormatUtc(int64_t unix_ms, const char* fmt) {
  time_t t = static_cast<time_t>(unix_ms / 1000);
  struct tm tm {};
  gmtime_r(&t, &tm);
  char buf[32];
  strftime(buf, sizeof buf, fmt, &tm);
  return buf;
}
}  // namespace

std::string UtcIso(int64_t unix_ms) { return FormatUtc(unix_ms, "%Y-%m-%dT%H:%M:%SZ"); }
std::string UtcCompact(int64_t unix_ms) { return FormatUtc(unix_ms, "%Y%m%dT%H%M%SZ"); }

BioPtr MemBio(std::string_view data) {
  return BioPtr(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
}

std::string BioToString(BIO* bio) {
  char* p = nullptr;
  long n = BIO_get_mem_data(bio, &p);
  return n > 0 ? std::string(p, static_cast<size_t>(n)) : std::string();
}

Result<std::vector<X509Ptr>> ParseCertsPem(std::string_view pem, const std::string& what) {
  BioPtr bio = MemBio(pem);
  std::vector<X509Ptr> out;
  while (X509* c = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) out.emplace_back(c);
  ERR_clear_error();  // the loop ends on "no start line"
  if (out.empty()) {
    return Status::InvalidArgument(what +
                                   ": no PEM certificate found (expected -----BEGIN "
                                   "CERTIFICATE-----)");
  }
  return out;
}

std::string CertToPem(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), cert);
  return BioToString(bio.get());
}

std::string NameToString(const X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  return BioToString(bio.get());
}

bool AsnTimeToUnix(const ASN1_TIME* t, int64_t* out) {
  struct tm tm {};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return false;
  *out = static_cast<int64_t>(timegm(&tm));
  return true;
}

CertSummary Summarize(X509* cert) {
  CertSummary s;
  s.subject = NameToString(X509_get_subject_name(cert));
  s.issuer = NameToString(X509_get_issuer_name(cert));
  const ASN1_INTEGER* serial = X509_get0_serialNumber(cert);
  s.serial_hex =
      ToHex(ASN1_STRING_get0_data(serial), static_cast<size_t>(ASN1_STRING_length(serial)));
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  X509_digest(cert, EVP_sha256(), md, &n);
  s.sha256_fingerprint = ToHex(md, n);
  int64_t t = 0;
  if (AsnTimeToUnix(X509_get0_notBefore(cert), &t)) s.not_before_utc = UtcIso(t * 1000);
  if (AsnTimeToUnix(X509_get0_notAfter(cert), &t)) s.not_after_utc = UtcIso(t * 1000);
  // Self-signed: issuer equals subject and the certificate's own public key verifies its
  // signature (RFC 5280 §3.2, "self-signed certificates"). X509_check_issued is not used: it
  // also demands keyCertSign when keyUsage is present, which a station certificate
  // (digitalSignature, nonRepudiation) does not have.
  EVP_PKEY* own = X509_get0_pubkey(cert);
  s.self_signed = X509_NAME_cmp(X509_get_subject_name(cert), X509_get_issuer_name(cert)) == 0 &&
                  own != nullptr && X509_verify(cert, own) == 1;
  return s;
}

}  // namespace kesu::certs
