// See verify.h.
#include "certs/verify.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "certs/crypto.h"
#include "certs/ledger.h"
#include "certs/pdf.h"
#include "certs/schema.h"
#include "certs/sign.h"

namespace kesu::certs {

namespace {

bool IsPdf(const std::string& bytes) { return bytes.rfind("%PDF-", 0) == 0; }

Result<std::pair<std::string, std::string>> PdfAttachments(const std::string& pdf,
                                                           const std::string& file) {
  auto r = ExtractPdfAttachments(pdf);
  if (!r.ok()) return r.status().WithContext(file);
  return r;
}

}  // namespace

Result<CertVerifyReport> VerifyCertificateFile(Env* env, const std::string& file,
                                               const CertVerifyOptions& opts) {
  CertVerifyReport r;
  r.file = file;
  KESU_ASSIGN_OR_RETURN(std::string bytes, env->ReadFile(file));
  std::string json_bytes, p7s;
  const bool pdf = IsPdf(bytes);
  if (pdf) {
    auto att = PdfAttachments(bytes, file);
    if (!att.ok()) {
      if (att.status().code() == Code::kUnsupported) return att.status();
      r.check = "input";
      r.message = att.status().message();
      return r;
    }
    json_bytes = std::move(att->first);
    p7s = std::move(att->second);
  } else {
    json_bytes = std::move(bytes);
    auto sig = env->ReadFile(file + ".p7s");
    // A .p7s that is no regular file, or too large, is bad input (exit 2), not a bad signature.
    if (!sig.ok() && sig.status().code() == Code::kInvalidArgument) return sig.status();
    if (!sig.ok()) {
      r.check = "signature";
      r.message = file + ".p7s: no detached signature beside the certificate";
      return r;
    }
    p7s = std::move(*sig);
  }
  r.json_sha256 = Sha256Hex(json_bytes);

  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(json_bytes);
    if (doc.is_object() && doc.contains("id") && doc["id"].is_string()) r.id = doc["id"];
    if (doc.is_object() && doc.contains("outcome") && doc["outcome"].is_object() &&
        doc["outcome"].contains("result") && doc["outcome"]["result"].is_string()) {
      r.outcome = doc["outcome"]["result"];
    }
  } catch (const nlohmann::json::exception&) {
    doc = nullptr;
  }

  // Ledger lookups (used to explain signature failures and for the inclusion check).
  const std::string dir =
      !opts.cert_dir.empty() ? opts.cert_dir : std::filesystem::path(file).parent_path().string();
  const std::string ledger_path =
      (std::filesystem::path(dir.empty() ? "." : dir) / kLedgerFile).string();
  std::optional<LedgerReport> ledger;
  if (env->FileExists(ledger_path)) {
    auto text = env->ReadFile(ledger_path);
    if (text.ok()) ledger = CheckLedgerText(*text);
  }
  const LedgerEntry* entry = nullptr;
  if (ledger) {
    for (const auto& e : ledger->entries) {
      if (!r.id.empty() && e.cert_id == r.id) entry = &e;
    }
  }

  // 1-3. Signature, chain, validity at signing time.
  KESU_ASSIGN_OR_RETURN(SignatureReport sig, VerifyDetached(json_bytes, p7s, opts.trust_pem));
  if (!sig.ok()) {
    r.check = sig.check;
    r.message = sig.check + ": " + sig.message;
    if (sig.check == "signature" && entry != nullptr) {
      if (entry->json_sha256 != r.json_sha256) {
        r.message +=
            "; the ledger records another digest for this certificate id, so the JSON was modified";
      } else if (entry->p7s_sha256 != Sha256Hex(p7s)) {
        r.message +=
            "; the JSON matches the ledger, so the .p7s is another certificate's signature";
      }
    }
    return r;
  }
  r.passed.push_back("signature: valid over the exact " + std::to_string(json_bytes.size()) +
                     " bytes, signed " + UtcIso(sig.signing_time_unix * 1000));
  r.passed.push_back("chain: '" + sig.signer.subject + "' chains to the trust anchor");
  r.passed.push_back("validity: the station certificate was valid at the signing time");

  // 4. Schema, and the signer named in the document is the one that signed.
  if (doc.is_null()) {
    r.check = "schema";
    r.message = "schema: the certificate is not valid JSON";
    return r;
  }
  if (Status s = ValidateCertificateSchema(doc); !s.ok()) {
    r.check = "schema";
    r.message = "schema: " + s.message();
    return r;
  }
  if (doc["signer"]["sha256_fingerprint"] != sig.signer.sha256_fingerprint) {
    r.check = "schema";
    r.message = "schema: the document names signer " +
                doc["signer"]["sha256_fingerprint"].get<std::string>() + " but was signed by " +
                sig.signer.sha256_fingerprint;
    return r;
  }
  r.passed.push_back("schema: certificates/schema-v1.json");

  // 5-6. QR digest (PDF) and ledger inclusion.
  if (ledger) {
    if (!ledger->ok) {
      r.check = "ledger";
      r.message = ledger->message;
      return r;
    }
    if (entry == nullptr) {
      r.check = "ledger";
      r.message = "ledger: certificate " + r.id + " is not in " + ledger_path;
      return r;
    }
    if (entry->json_sha256 != r.json_sha256 || entry->p7s_sha256 != Sha256Hex(p7s)) {
      r.check = pdf ? "qr" : "ledger";
      r.message = r.check + ": seq " + std::to_string(entry->seq) +
                  " records other digests for certificate " + r.id;
      return r;
    }
    if (pdf)
      r.passed.push_back("qr: attached JSON hashes to " + r.json_sha256 +
                         ", the digest recorded for " + r.id);
    r.passed.push_back("ledger: seq " + std::to_string(entry->seq) + " in " + ledger_path);
  } else {
    r.passed.push_back(std::string(pdf ? "qr/" : "") + "ledger: not checked (no " + ledger_path +
                       "); compare the QR code with kesu-cert:1:" + r.id + ":" + r.json_sha256);
  }
  return r;
}

}  // namespace kesu::certs
