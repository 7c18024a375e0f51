// Station keys and X.509 certificates (docs/keys.md).
//
// `kesu key init DIR` makes an organisation CA and a station key signed by it:
//   DIR/ca.pem       the CA certificate (the trust anchor customers use with openssl -CAfile)
//   DIR/ca.key       the CA private key, encrypted PKCS#8 (AES-256-CBC), PEM, 0600
//   DIR/station.key  the station private key, encrypted PKCS#8 (AES-256-CBC), PEM, 0600
//   DIR/station.pem  the station certificate followed by its chain (the CA certificate)
// With `--csr` it writes DIR/station.key and DIR/station.csr for an existing CA instead, and
// `kesu key install DIR CERT.pem` stores the signed certificate as DIR/station.pem after checking
// it belongs to DIR/station.key.
//
// Keys are ECDSA P-256 (CMS with Ed25519 does not work in Debian 12's OpenSSL 3.0). Station
// certificates carry keyUsage critical digitalSignature,nonRepudiation and no extendedKeyUsage;
// CA certificates carry basicConstraints critical CA:TRUE, pathlen:0 and keyUsage
// keyCertSign,cRLSign. All files go through Env::WriteFileAtomic; the passphrase is never written
// anywhere. Thread-safety: functions are independent; callers serialise writes to one DIR.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "certs/crypto.h"
#include "env/env.h"

namespace kesu::certs {

// Where a private key's passphrase comes from. Exactly one of `file`, `env_var` is used when set
// (file first); otherwise `prompt` is called (the CLI reads the TTY without echo). Never argv.
struct PassphraseSource {
  std::string file;     // first line of this file (trailing CR/LF removed)
  std::string env_var;  // value of this environment variable
  // Asks the person; `confirm` asks twice and fails when the answers differ. Null: no TTY.
  std::function<Result<std::string>(const std::string& prompt, bool confirm)> prompt;
};
// Reads the passphrase; `confirm` is passed to `prompt`. An empty passphrase is kInvalidArgument.
Result<std::string> ReadPassphrase(Env* env, const PassphraseSource& src, const std::string& prompt,
                                   bool confirm);

struct KeyInitOptions {
  std::string dir;
  std::string organisation = "kesu organisation";
  std::string station = "kesu-station";
  int days = 825;      // station certificate validity
  int ca_days = 3650;  // CA certificate validity
  bool csr = false;    // write station.key + station.csr only
};
// kInvalidArgument when `opts` cannot make a key (no directory, --days out of range); KeyInit
// checks it too, but the CLI calls it first so that no passphrase is asked for in vain.
Status CheckKeyInitOptions(const KeyInitOptions& opts);
// Makes the files listed above; fails with kRefused (exit 3) rather than overwrite an existing
// station.key or ca.key. `now_ms` (Env clock) starts the validity.
Status KeyInit(Env* env, const KeyInitOptions& opts, const std::string& passphrase);
// Stores `cert_pem` (station certificate, optionally followed by its chain) as DIR/station.pem
// after the checks certs::CheckSigner makes at the Env's time: it matches DIR/station.key, is
// a signing certificate, is valid now, and chains to `trust_anchor_pem` (the configured trust
// anchor) or, when that is empty, to a self-signed CA certificate in its own chain, which must
// then be given. kInvalidArgument naming the problem otherwise; nothing is written then.
Status KeyInstall(Env* env, const std::string& dir, const std::string& cert_pem,
                  const std::string& passphrase, const std::string& trust_anchor_pem = "");

// Station certificate validity `kesu key init --days` accepts: at least a day, and at most
// ten years — the CA's own default lifetime (KeyInitOptions::ca_days), which a station
// certificate cannot outlive in a chain that verifies.
inline constexpr int kMinCertDays = 1;
inline constexpr int kMaxCertDays = 3650;

// A loaded signing identity: key, its certificate and the chain above it.
struct Signer {
  PkeyPtr key;
  X509Ptr cert;
  std::vector<X509Ptr> chain;
  bool first_use = false;  // the self-signed key kesu made because none was configured
  std::string key_path;
};
// Loads `key_path` (encrypted or not) and the certificate file beside it: `station.pem` in the
// same directory, or KEY with its extension replaced by .pem. kInvalidArgument on a wrong
// passphrase ("cannot decrypt ... wrong passphrase?") or a certificate not matching the key.
Result<Signer> LoadSigner(Env* env, const std::string& key_path, const std::string& passphrase);

// The key kesu makes on first use when no station key is configured: KEYS_DIR/station.key
// (NOT encrypted — there is no one to ask for a passphrase in kiosk mode — 0600, in a 0700
// directory) and a self-signed KEYS_DIR/station.pem. Loads them when they already exist.
// Certificates it signs verify as "signature valid but signer untrusted".
Result<Signer> LoadOrCreateFirstUseSigner(Env* env, const std::string& keys_dir,
                                          const std::string& station, bool* created);

// --- Building blocks (also used by tests to make CAs, expired certificates, TSAs) ----------
Result<PkeyPtr> GenerateP256Key();
struct CertSpec {
  std::string common_name, organisation;
  int64_t not_before_unix = 0, not_after_unix = 0;  // seconds
  enum class Kind { kCa, kStation, kTsa } kind = Kind::kStation;
};
// Issues a certificate for `subject_key` signed by `issuer_key` (self-signed when `issuer` is
// null).
Result<X509Ptr> IssueCert(const CertSpec& spec, EVP_PKEY* subject_key, EVP_PKEY* issuer_key,
                          X509* issuer);
// PEM of a private key: encrypted PKCS#8 with AES-256-CBC when `passphrase` is non-empty.
Result<std::string> PrivateKeyToPem(EVP_PKEY* key, const std::string& passphrase);
Result<PkeyPtr> PrivateKeyFromPem(const std::string& pem, const std::string& passphrase,
                                  const std::string& what);

}  // namespace kesu::certs
