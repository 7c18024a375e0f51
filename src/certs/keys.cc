// See keys.h.
#include "certs/keys.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include <cstdlib>
#include <filesystem>

#include "certs/sign.h"

namespace kesu::certs {

namespace {

constexpr uint32_t kKeyMode = 0600;
constexpr uint32_t kPublicMode = 0644;

Status AddExt(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer != nullptr ? issuer : cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr)
    return Status::Internal(std::string("X.509 extension ") + value + ": " + OpenSslError());
  int ok = X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  if (ok != 1) return Status::Internal("X509_add_ext: " + OpenSslError());
  return Status::Ok();
}

Status SetName(X509_NAME* name, const std::string& cn, const std::string& org) {
  if (!org.empty() && X509_NAME_add_entry_by_txt(
                          name, "O", MBSTRING_UTF8,
                          reinterpret_cast<const unsigned char*>(org.c_str()), -1, -1, 0) != 1) {
    return Status::InvalidArgument("organisation name '" + org + "': " + OpenSslError());
  }
  if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1,
                                 0) != 1) {
    return Status::InvalidArgument("common name '" + cn +
                                   "' (at most 64 characters): " + OpenSslError());
  }
  return Status::Ok();
}

bool KeyMatchesCert(EVP_PKEY* key, X509* cert) { return X509_check_private_key(cert, key) == 1; }

// The certificate file that goes with a key file.
std::string CertPathFor(Env* env, const std::string& key_path) {
  std::filesystem::path p(key_path);
  std::string beside = (p.parent_path() / "station.pem").string();
  std::string same_stem = std::filesystem::path(key_path).replace_extension(".pem").string();
  if (env->FileExists(same_stem)) return same_stem;
  return beside;
}

}  // namespace

Result<std::string> ReadPassphrase(Env* env, const PassphraseSource& src, const std::string& prompt,
                                   bool confirm) {
  std::string pass;
  if (!src.file.empty()) {
    KESU_ASSIGN_OR_RETURN(pass, env->ReadFile(src.file));
    size_t nl = pass.find_first_of("\r\n");
    if (nl != std::string::npos) pass.resize(nl);
    if (pass.empty()) {
      return Status::InvalidArgument(
          src.file + ": passphrase file is empty; put the passphrase on its first line");
    }
    return pass;
  }
  if (!src.env_var.empty()) {
    const char* v = std::getenv(src.env_var.c_str());
    if (v == nullptr || *v == '\0') {
      return Status::InvalidArgument("environment variable " + src.env_var +
                                     " is unset or empty; export the passphrase in it");
    }
    return std::string(v);
  }
  if (!src.prompt) {
    return Status::InvalidArgument(
        "no passphrase: no terminal to ask on; use --passphrase-file FILE or --passphrase-env VAR");
  }
  KESU_ASSIGN_OR_RETURN(pass, src.prompt(prompt, confirm));
  if (pass.empty()) return Status::InvalidArgument("empty passphrase refused; type a passphrase");
  return pass;
}

Result<PkeyPtr> GenerateP256Key() {
  EVP_PKEY* k = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  if (k == nullptr) return Status::Internal("ECDSA P-256 key generation: " + OpenSslError());
  return PkeyPtr(k);
}

Result<X509Ptr> IssueCert(const CertSpec& spec, EVP_PKEY* subject_key, EVP_PKEY* issuer_key,
                          X509* issuer) {
  X509Ptr cert(X509_new());
  if (!cert) return Status::Internal("X509_new: " + OpenSslError());
  X509_set_version(cert.get(), 2);  // v3
  unsigned char serial[16];
  if (RAND_bytes(serial, sizeof serial) != 1)
    return Status::Internal("RAND_bytes: " + OpenSslError());
  serial[0] &= 0x7f;  // positive
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  KESU_RETURN_IF_ERROR(
      SetName(X509_get_subject_name(cert.get()), spec.common_name, spec.organisation));
  X509_set_issuer_name(cert.get(), issuer != nullptr ? X509_get_subject_name(issuer)
                                                     : X509_get_subject_name(cert.get()));
  ASN1_TIME_set(X509_getm_notBefore(cert.get()), static_cast<time_t>(spec.not_before_unix));
  ASN1_TIME_set(X509_getm_notAfter(cert.get()), static_cast<time_t>(spec.not_after_unix));
  X509_set_pubkey(cert.get(), subject_key);
  X509* iss = issuer != nullptr ? issuer : cert.get();
  switch (spec.kind) {
    case CertSpec::Kind::kCa:
      KESU_RETURN_IF_ERROR(
          AddExt(cert.get(), iss, NID_basic_constraints, "critical,CA:TRUE,pathlen:0"));
      KESU_RETURN_IF_ERROR(AddExt(cert.get(), iss, NID_key_usage, "critical,keyCertSign,cRLSign"));
      break;
    case CertSpec::Kind::kStation:
      KESU_RETURN_IF_ERROR(AddExt(cert.get(), iss, NID_basic_constraints, "critical,CA:FALSE"));
      KESU_RETURN_IF_ERROR(
          AddExt(cert.get(), iss, NID_key_usage, "critical,digitalSignature,nonRepudiation"));
      break;
    case CertSpec::Kind::kTsa:
      KESU_RETURN_IF_ERROR(AddExt(cert.get(), iss, NID_basic_constraints, "critical,CA:FALSE"));
      KESU_RETURN_IF_ERROR(
          AddExt(cert.get(), iss, NID_key_usage, "critical,digitalSignature,nonRepudiation"));
      KESU_RETURN_IF_ERROR(AddExt(cert.get(), iss, NID_ext_key_usage, "critical,timeStamping"));
      break;
  }
  KESU_RETURN_IF_ERROR(AddExt(cert.get(), iss, NID_subject_key_identifier, "hash"));
  if (issuer != nullptr) {
    KESU_RETURN_IF_ERROR(AddExt(cert.get(), iss, NID_authority_key_identifier, "keyid:always"));
  }
  if (X509_sign(cert.get(), issuer_key, EVP_sha256()) == 0) {
    return Status::Internal("X509_sign: " + OpenSslError());
  }
  return cert;
}

Result<std::string> PrivateKeyToPem(EVP_PKEY* key, const std::string& passphrase) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  int ok =
      passphrase.empty()
          ? PEM_write_bio_PKCS8PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr)
          : PEM_write_bio_PKCS8PrivateKey(bio.get(), key, EVP_aes_256_cbc(), passphrase.data(),
                                          static_cast<int>(passphrase.size()), nullptr, nullptr);
  if (ok != 1) return Status::Internal("PKCS#8 encoding of a private key: " + OpenSslError());
  return BioToString(bio.get());
}

Result<PkeyPtr> PrivateKeyFromPem(const std::string& pem, const std::string& passphrase,
                                  const std::string& what) {
  BioPtr bio = MemBio(pem);
  // With a non-null user argument and no callback, OpenSSL uses it as the passphrase.
  EVP_PKEY* k =
      PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, const_cast<char*>(passphrase.c_str()));
  if (k == nullptr) {
    std::string err = OpenSslError();
    bool encrypted = pem.find("ENCRYPTED") != std::string::npos;
    if (encrypted) {
      return Status::InvalidArgument(what + ": cannot decrypt the private key (wrong passphrase?)");
    }
    return Status::InvalidArgument(what + ": not a PEM private key: " + err);
  }
  return PkeyPtr(k);
}

Status CheckKeyInitOptions(const KeyInitOptions& o) {
  if (o.dir.empty()) return Status::InvalidArgument("key init: no directory given");
  if (o.days < kMinCertDays || o.days > kMaxCertDays || o.ca_days < kMinCertDays ||
      o.ca_days > kMaxCertDays || o.days > o.ca_days) {
    return Status::InvalidArgument("key init: --days " + std::to_string(o.days) +
                                   " is out of range; give " + std::to_string(kMinCertDays) +
                                   " to " + std::to_string(kMaxCertDays) +
                                   " days (the station certificate cannot outlive its CA)");
  }
  return Status::Ok();
}

Status KeyInit(Env* env, const KeyInitOptions& o, const std::string& passphrase) {
  KESU_RETURN_IF_ERROR(CheckKeyInitOptions(o));
  if (passphrase.empty()) return Status::InvalidArgument("key init: empty passphrase refused");
  const std::string station_key = JoinPath(o.dir, "station.key");
  const std::string ca_key = JoinPath(o.dir, "ca.key");
  if (env->FileExists(station_key) || (!o.csr && env->FileExists(ca_key))) {
    return Status::Refused(o.dir +
                           ": already holds a station.key or ca.key; refusing to replace "
                           "keys (choose another directory or move them away)");
  }
  KESU_RETURN_IF_ERROR(env->CreateDir(o.dir, 0700));
  const int64_t now = env->NowUnixMillis() / 1000;
  KESU_ASSIGN_OR_RETURN(PkeyPtr skey, GenerateP256Key());
  KESU_ASSIGN_OR_RETURN(std::string skey_pem, PrivateKeyToPem(skey.get(), passphrase));

  if (o.csr) {
    X509ReqPtr req(X509_REQ_new());
    X509_REQ_set_version(req.get(), 0);
    KESU_RETURN_IF_ERROR(SetName(X509_REQ_get_subject_name(req.get()), o.station, o.organisation));
    X509_REQ_set_pubkey(req.get(), skey.get());
    // Ask for the extensions a station certificate must carry.
    STACK_OF(X509_EXTENSION)* exts = sk_X509_EXTENSION_new_null();
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, nullptr, nullptr, req.get(), nullptr, 0);
    for (auto [nid, val] : {std::pair{NID_basic_constraints, "critical,CA:FALSE"},
                            std::pair{NID_key_usage, "critical,digitalSignature,nonRepudiation"}}) {
      X509_EXTENSION* e = X509V3_EXT_conf_nid(nullptr, &ctx, nid, val);
      if (e != nullptr) sk_X509_EXTENSION_push(exts, e);
    }
    X509_REQ_add_extensions(req.get(), exts);
    sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
    if (X509_REQ_sign(req.get(), skey.get(), EVP_sha256()) == 0) {
      return Status::Internal("X509_REQ_sign: " + OpenSslError());
    }
    BioPtr bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_X509_REQ(bio.get(), req.get());
    KESU_RETURN_IF_ERROR(env->WriteFileAtomic(station_key, skey_pem, kKeyMode));
    return env->WriteFileAtomic(JoinPath(o.dir, "station.csr"), BioToString(bio.get()),
                                kPublicMode);
  }

  KESU_ASSIGN_OR_RETURN(PkeyPtr ckey, GenerateP256Key());
  CertSpec ca{o.organisation + " erasure CA", o.organisation, now - 60,
              now + int64_t{o.ca_days} * 86400, CertSpec::Kind::kCa};
  KESU_ASSIGN_OR_RETURN(X509Ptr ca_cert, IssueCert(ca, ckey.get(), ckey.get(), nullptr));
  CertSpec st{o.station, o.organisation, now - 60, now + int64_t{o.days} * 86400,
              CertSpec::Kind::kStation};
  KESU_ASSIGN_OR_RETURN(X509Ptr st_cert, IssueCert(st, skey.get(), ckey.get(), ca_cert.get()));
  KESU_ASSIGN_OR_RETURN(std::string ckey_pem, PrivateKeyToPem(ckey.get(), passphrase));
  KESU_RETURN_IF_ERROR(env->WriteFileAtomic(ca_key, ckey_pem, kKeyMode));
  KESU_RETURN_IF_ERROR(env->WriteFileAtomic(station_key, skey_pem, kKeyMode));
  KESU_RETURN_IF_ERROR(
      env->WriteFileAtomic(JoinPath(o.dir, "ca.pem"), CertToPem(ca_cert.get()), kPublicMode));
  return env->WriteFileAtomic(JoinPath(o.dir, "station.pem"),
                              CertToPem(st_cert.get()) + CertToPem(ca_cert.get()), kPublicMode);
}

Status KeyInstall(Env* env, const std::string& dir, const std::string& cert_pem,
                  const std::string& passphrase, const std::string& trust_anchor_pem) {
  const std::string key_path = JoinPath(dir, "station.key");
  KESU_ASSIGN_OR_RETURN(std::string key_pem, env->ReadFile(key_path));
  KESU_ASSIGN_OR_RETURN(PkeyPtr key, PrivateKeyFromPem(key_pem, passphrase, key_path));
  KESU_ASSIGN_OR_RETURN(auto certs, ParseCertsPem(cert_pem, "station certificate"));
  if (!KeyMatchesCert(key.get(), certs[0].get())) {
    return Status::InvalidArgument(
        "station certificate '" + NameToString(X509_get_subject_name(certs[0].get())) +
        "' does not match " + key_path + " (signed for another request?)");
  }
  std::vector<X509Ptr> anchors;
  if (!trust_anchor_pem.empty()) {
    KESU_ASSIGN_OR_RETURN(anchors, ParseCertsPem(trust_anchor_pem, "[station] trust_anchor"));
  }
  Signer s;
  s.key = std::move(key);
  s.cert = std::move(certs[0]);
  for (size_t i = 1; i < certs.size(); ++i) s.chain.push_back(std::move(certs[i]));
  if (anchors.empty() && s.chain.empty()) {
    return Status::InvalidArgument(
        "the station certificate comes without its CA certificate and no trust anchor is "
        "configured; give the certificate followed by its chain, or set [station] trust_anchor");
  }
  KESU_RETURN_IF_ERROR(CheckSigner(s, env->NowUnixMillis() / 1000, anchors, "key install"));
  return env->WriteFileAtomic(JoinPath(dir, "station.pem"), cert_pem, kPublicMode);
}

Result<Signer> LoadSigner(Env* env, const std::string& key_path, const std::string& passphrase) {
  KESU_ASSIGN_OR_RETURN(std::string key_pem, env->ReadFile(key_path));
  KESU_ASSIGN_OR_RETURN(PkeyPtr key, PrivateKeyFromPem(key_pem, passphrase, key_path));
  const std::string cert_path = CertPathFor(env, key_path);
  auto cert_pem = env->ReadFile(cert_path);
  if (!cert_pem.ok()) {
    return Status::NotFound(cert_path + ": no station certificate beside " + key_path +
                            " (run 'kesu key install' with the CA-signed certificate)");
  }
  KESU_ASSIGN_OR_RETURN(auto certs, ParseCertsPem(*cert_pem, cert_path));
  if (!KeyMatchesCert(key.get(), certs[0].get())) {
    return Status::InvalidArgument(cert_path + ": certificate does not match " + key_path);
  }
  Signer s;
  s.key = std::move(key);
  s.cert = std::move(certs[0]);
  for (size_t i = 1; i < certs.size(); ++i) s.chain.push_back(std::move(certs[i]));
  s.key_path = key_path;
  return s;
}

Result<Signer> LoadOrCreateFirstUseSigner(Env* env, const std::string& keys_dir,
                                          const std::string& station, bool* created) {
  const std::string key_path = JoinPath(keys_dir, "station.key");
  *created = false;
  if (env->FileExists(key_path)) {
    KESU_ASSIGN_OR_RETURN(Signer s, LoadSigner(env, key_path, ""));
    s.first_use = true;
    return s;
  }
  KESU_RETURN_IF_ERROR(env->CreateDir(keys_dir, 0700));
  const int64_t now = env->NowUnixMillis() / 1000;
  KESU_ASSIGN_OR_RETURN(PkeyPtr key, GenerateP256Key());
  CertSpec spec{station + " (self-signed, untrusted)", "kesu first-use key", now - 60,
                now + int64_t{3650} * 86400, CertSpec::Kind::kStation};
  KESU_ASSIGN_OR_RETURN(X509Ptr cert, IssueCert(spec, key.get(), key.get(), nullptr));
  KESU_ASSIGN_OR_RETURN(std::string pem, PrivateKeyToPem(key.get(), ""));
  KESU_RETURN_IF_ERROR(env->WriteFileAtomic(key_path, pem, kKeyMode));
  KESU_RETURN_IF_ERROR(
      env->WriteFileAtomic(JoinPath(keys_dir, "station.pem"), CertToPem(cert.get()), kPublicMode));
  *created = true;
  Signer s;
  s.key = std::move(key);
  s.cert = std::move(cert);
  s.first_use = true;
  s.key_path = key_path;
  return s;
}

}  // namespace kesu::certs
