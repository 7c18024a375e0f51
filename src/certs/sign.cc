// See sign.h.
#include "certs/sign.h"

#include <openssl/err.h>
#include <openssl/x509v3.h>

namespace kesu::certs {

Result<std::string> SignDetached(const Signer& signer, std::string_view content,
                                 int64_t signing_time_unix_ms) {
  const unsigned flags = CMS_DETACHED | CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP;
  STACK_OF(X509)* chain = sk_X509_new_null();
  for (const auto& c : signer.chain) sk_X509_push(chain, c.get());
  CmsPtr cms(CMS_sign(nullptr, nullptr, chain, nullptr, flags));
  sk_X509_free(chain);  // the CMS holds its own references
  if (!cms) return Status::Internal("CMS_sign: " + OpenSslError());
  CMS_SignerInfo* si =
      CMS_add1_signer(cms.get(), signer.cert.get(), signer.key.get(), EVP_sha256(), flags);
  if (si == nullptr) return Status::Internal("CMS_add1_signer: " + OpenSslError());
  // signingTime = the certificate's issue time (RFC 5652 §11.3), so the station's clock source
  // is the Env's. UTCTime up to 2049, GeneralizedTime after (ASN1_TIME_set picks).
  ASN1_TIME* t = ASN1_TIME_set(nullptr, static_cast<time_t>(signing_time_unix_ms / 1000));
  int added = CMS_signed_add1_attr_by_NID(si, NID_pkcs9_signingTime, t->type, t, -1);
  ASN1_TIME_free(t);
  if (added != 1) return Status::Internal("CMS signingTime attribute: " + OpenSslError());
  BioPtr data = MemBio(content);
  if (CMS_final(cms.get(), data.get(), nullptr, flags) != 1) {
    return Status::Internal("CMS_final: " + OpenSslError());
  }
  BioPtr out(BIO_new(BIO_s_mem()));
  if (i2d_CMS_bio(out.get(), cms.get()) != 1)
    return Status::Internal("i2d_CMS_bio: " + OpenSslError());
  return BioToString(out.get());
}

namespace {

// The anchor that ends a verified chain must be a CA other than the leaf.
int CheckAnchor(X509_STORE_CTX* ctx, X509* leaf) {
  STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(ctx);
  const int n = chain != nullptr ? sk_X509_num(chain) : 0;
  if (n < 2 || X509_cmp(sk_X509_value(chain, n - 1), leaf) == 0) {
    return X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT;
  }
  return X509_check_ca(sk_X509_value(chain, n - 1)) == 0 ? X509_V_ERR_INVALID_CA : X509_V_OK;
}

}  // namespace

ChainCheck VerifyChain(X509* leaf, STACK_OF(X509) * untrusted, const std::vector<X509Ptr>& anchors,
                       int64_t when_unix) {
  StorePtr store(X509_STORE_new());
  for (const auto& c : anchors) X509_STORE_add_cert(store.get(), c.get());
  StoreCtxPtr ctx(X509_STORE_CTX_new());
  X509_STORE_CTX_init(ctx.get(), store.get(), leaf, untrusted);
  X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SMIME_SIGN);
  X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx.get()), static_cast<time_t>(when_unix));
  ChainCheck c;
  if (X509_verify_cert(ctx.get()) == 1) {
    c.error = CheckAnchor(ctx.get(), leaf);
    STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(ctx.get());
    c.depth = chain != nullptr ? sk_X509_num(chain) - 1 : 0;
  } else {
    c.error = X509_STORE_CTX_get_error(ctx.get());
    c.depth = X509_STORE_CTX_get_error_depth(ctx.get());
    if (c.error == X509_V_OK) c.error = X509_V_ERR_UNSPECIFIED;
  }
  ERR_clear_error();
  return c;
}

namespace {

std::string ValidityText(X509* cert) {
  CertSummary s = Summarize(cert);
  return "valid " + s.not_before_utc + " to " + s.not_after_utc;
}

// The anchors CheckSigner uses when none are configured: self-signed CAs in the chain.
std::vector<X509Ptr> ChainRoots(const Signer& signer) {
  std::vector<X509Ptr> roots;
  for (const auto& c : signer.chain) {
    if (X509_check_issued(c.get(), c.get()) == X509_V_OK && X509_check_ca(c.get()) != 0) {
      X509_up_ref(c.get());
      roots.emplace_back(c.get());
    }
  }
  return roots;
}

}  // namespace

Status CheckSigner(const Signer& signer, int64_t now_unix, const std::vector<X509Ptr>& anchors,
                   const std::string& what) {
  X509* cert = signer.cert.get();
  std::string name(1, '\'');  // built in steps: GCC 12 -Wrestrict misfires on "'" + s
  name += NameToString(X509_get_subject_name(cert));
  name += '\'';
  if (X509_check_private_key(cert, signer.key.get()) != 1) {
    ERR_clear_error();
    return Status::InvalidArgument(what + ": station certificate " + name +
                                   " does not match its private key (install the certificate "
                                   "issued for this key)");
  }
  const uint32_t ku = X509_get_key_usage(cert);
  if (X509_check_ca(cert) != 0 || (ku & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)) == 0) {
    return Status::InvalidArgument(what + ": " + name +
                                   " is not a signing certificate (a CA, or keyUsage without "
                                   "digitalSignature/nonRepudiation); install a station "
                                   "certificate");
  }
  const time_t now = static_cast<time_t>(now_unix);
  if (X509_cmp_time(X509_get0_notBefore(cert), const_cast<time_t*>(&now)) >= 0) {
    return Status::InvalidArgument(what + ": station certificate " + name + " is not valid yet (" +
                                   ValidityText(cert) + "; now " + UtcIso(now_unix * 1000) +
                                   "); check the clock or install a current certificate");
  }
  if (X509_cmp_time(X509_get0_notAfter(cert), const_cast<time_t*>(&now)) <= 0) {
    return Status::InvalidArgument(what + ": station certificate " + name + " has expired (" +
                                   ValidityText(cert) +
                                   "); renew it ('kesu key init --csr', then 'kesu key install')");
  }
  std::vector<X509Ptr> roots = anchors.empty() ? ChainRoots(signer) : std::vector<X509Ptr>();
  const std::vector<X509Ptr>& use = anchors.empty() ? roots : anchors;
  if (use.empty()) return Status::Ok();
  STACK_OF(X509)* untrusted = sk_X509_new_null();
  for (const auto& c : signer.chain) sk_X509_push(untrusted, c.get());
  ChainCheck chain = VerifyChain(cert, untrusted, use, now_unix);
  sk_X509_free(untrusted);
  if (chain.ok()) return Status::Ok();
  return Status::InvalidArgument(
      what + ": station certificate " + name + " does not chain to the " +
      (anchors.empty() ? "CA certificate in its chain" : "trust anchor") + " (" +
      X509_verify_cert_error_string(chain.error) + " at depth " + std::to_string(chain.depth) +
      "); install a certificate issued by that CA, followed by its chain");
}

namespace {

bool SigningTime(CMS_ContentInfo* cms, int64_t* out) {
  STACK_OF(CMS_SignerInfo)* sis = CMS_get0_SignerInfos(cms);
  if (sis == nullptr || sk_CMS_SignerInfo_num(sis) < 1) return false;
  CMS_SignerInfo* si = sk_CMS_SignerInfo_value(sis, 0);
  int idx = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
  if (idx < 0) return false;
  X509_ATTRIBUTE* attr = CMS_signed_get_attr(si, idx);
  ASN1_TYPE* v = X509_ATTRIBUTE_get0_type(attr, 0);
  if (v == nullptr) return false;
  if (v->type != V_ASN1_UTCTIME && v->type != V_ASN1_GENERALIZEDTIME) return false;
  return AsnTimeToUnix(reinterpret_cast<const ASN1_TIME*>(v->value.asn1_string), out);
}

}  // namespace

Result<SignatureReport> VerifyDetached(std::string_view content, std::string_view p7s_der,
                                       std::string_view trust_pem) {
  SignatureReport r;
  BioPtr in = MemBio(p7s_der);
  CmsPtr cms(d2i_CMS_bio(in.get(), nullptr));
  if (!cms) {
    ERR_clear_error();
    r.check = "signature";
    r.message = "the .p7s is not a DER CMS signature";
    return r;
  }
  if (OBJ_obj2nid(CMS_get0_type(cms.get())) != NID_pkcs7_signed) {
    r.check = "signature";
    r.message = "the .p7s is not CMS SignedData";
    return r;
  }
  // Step 1: the signature over the content, without judging the signer.
  BioPtr data = MemBio(content);
  if (CMS_verify(cms.get(), nullptr, nullptr, data.get(), nullptr,
                 CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) != 1) {
    std::string err = OpenSslError();
    r.check = "signature";
    r.message =
        err.find("digest failure") != std::string::npos
            ? "the signature does not match these bytes (content digest differs: the JSON was "
              "modified, or the .p7s belongs to another certificate)"
            : "the signature does not verify: " + err;
    return r;
  }
  r.signature_ok = true;
  STACK_OF(X509)* signers = CMS_get0_signers(cms.get());
  if (signers == nullptr || sk_X509_num(signers) != 1) {
    sk_X509_free(signers);
    r.check = "signature";
    r.message = "expected exactly one signer certificate in the .p7s";
    return r;
  }
  X509* signer = sk_X509_value(signers, 0);
  r.signer = Summarize(signer);
  if (!SigningTime(cms.get(), &r.signing_time_unix)) {
    sk_X509_free(signers);
    r.check = "signature";
    r.message = "the signature has no signed signingTime attribute";
    return r;
  }

  // Step 2: the signer's chain, at the signing time.
  std::vector<X509Ptr> roots;
  if (!trust_pem.empty()) {
    auto parsed = ParseCertsPem(trust_pem, "trust anchor");
    if (!parsed.ok()) {
      sk_X509_free(signers);
      return parsed.status();
    }
    roots = std::move(*parsed);
  }
  const size_t anchors = roots.size();
  STACK_OF(X509)* untrusted = CMS_get1_certs(cms.get());
  ChainCheck chain = VerifyChain(signer, untrusted, roots, r.signing_time_unix);
  const int err = chain.error, depth = chain.depth;
  sk_X509_pop_free(untrusted, X509_free);
  sk_X509_free(signers);
  if (chain.ok()) {
    r.trusted = true;
    return r;
  }
  const std::string when = UtcIso(r.signing_time_unix * 1000);
  switch (err) {
    case X509_V_ERR_CERT_HAS_EXPIRED:
    case X509_V_ERR_CERT_NOT_YET_VALID:
      r.check = "validity";
      r.message =
          std::string(depth == 0 ? "the station certificate" : "a CA certificate in its chain") +
          " was not valid at the signing time " + when + " (" + X509_verify_cert_error_string(err) +
          "; station certificate valid " + r.signer.not_before_utc + " to " +
          r.signer.not_after_utc + ")";
      return r;
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_INVALID_CA:
      r.check = "chain";
      r.message =
          "signature valid but signer untrusted: '" + r.signer.subject + "' (issued by '" +
          r.signer.issuer + "') " +
          (r.signer.self_signed ? "is a self-signed station key"
           : anchors == 0       ? "cannot be checked"
                                : "does not chain to the trust anchor") +
          (anchors == 0 ? " (no trust anchor: pass --ca CA.pem or set [station] trust_anchor)"
                        : "");
      return r;
    default:
      r.check = "chain";
      r.message = std::string("the signer's certificate chain is invalid: ") +
                  X509_verify_cert_error_string(err) + " (depth " + std::to_string(depth) + ")";
      return r;
  }
}

}  // namespace kesu::certs
