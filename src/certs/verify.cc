// See verify.h.
#include "certs/verify.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>

#include "certs/crypto.h"
#include "certs/document.h"
#include "certs/ledger.h"
#include "certs/pdf.h"
#include "certs/schema.h"
#include "certs/sign.h"

namespace kesu::certs {

namespace {

bool IsPdf(const std::string& bytes) { return bytes.rfind("%PDF-", 0) == 0; }

void Fail(CertVerifyReport* r, const std::string& check, const std::string& message) {
  r->check = check;
  r->message = message;
}

// Reads FILE (at most kMaxCertificateFileBytes, regular files only) into `file_bytes`, and the
// JSON and signature into the report: from the PDF's attachments, or X.json and X.json.p7s.
// A missing signature or unreadable attachments are a failed check; non-OK only for FILE itself.
Status ReadInput(Env* env, const std::string& file, CertVerifyReport* r, std::string* file_bytes) {
  auto info = env->StatTarget(file);
  if (info.ok() && info->type != FileInfo::Type::kRegular) {
    return Status::InvalidArgument(file +
                                   ": not a regular file (a FIFO, device or directory); give a "
                                   "certificate X.json or X.pdf");
  }
  if (info.ok() && info->size > kMaxCertificateFileBytes) {
    return Status::InvalidArgument(file + ": " + std::to_string(info->size) +
                                   " bytes is larger than a certificate can be (16 MiB)");
  }
  KESU_ASSIGN_OR_RETURN(*file_bytes, env->ReadFile(file));
  r->pdf = IsPdf(*file_bytes);
  if (r->pdf) {
    auto att = ExtractPdfAttachments(*file_bytes);
    if (!att.ok()) {
      Fail(r, "input", att.status().message());
      return Status::Ok();
    }
    r->json_bytes = std::move(att->first);
    r->p7s_der = std::move(att->second);
    return Status::Ok();
  }
  r->json_bytes = *file_bytes;
  auto sig = env->ReadFile(file + ".p7s");
  // A .p7s that is no regular file, or too large, is bad input (exit 2), not a bad signature.
  if (!sig.ok() && sig.status().code() == Code::kInvalidArgument) return sig.status();
  if (!sig.ok()) {
    Fail(r, "signature", file + ".p7s: no detached signature beside the certificate");
    return Status::Ok();
  }
  r->p7s_der = std::move(*sig);
  return Status::Ok();
}

// The parsed document (null when it is not JSON), with id and outcome copied into the report.
nlohmann::json ParseDocument(CertVerifyReport* r) {
  nlohmann::json doc = nlohmann::json::parse(r->json_bytes, nullptr, false);
  if (doc.is_discarded()) return nullptr;
  if (doc.is_object() && doc.contains("id") && doc["id"].is_string()) r->id = doc["id"];
  if (auto kind = KindOf(doc); kind.ok()) r->kind = DocumentKindName(*kind);
  if (doc.is_object() && doc.contains("outcome") && doc["outcome"].is_object() &&
      doc["outcome"].contains("result") && doc["outcome"]["result"].is_string()) {
    r->outcome = doc["outcome"]["result"];
  }
  return doc;
}

struct LedgerView {
  std::string path;
  std::optional<LedgerReport> ledger;
  const LedgerEntry* entry = nullptr;  // the entry for the certificate's id, if any
};

LedgerView LoadLedger(Env* env, const std::string& file, const CertVerifyOptions& opts,
                      const std::string& id) {
  LedgerView v;
  const std::string dir =
      !opts.cert_dir.empty() ? opts.cert_dir : std::filesystem::path(file).parent_path().string();
  v.path = (std::filesystem::path(dir.empty() ? "." : dir) / kLedgerFile).string();
  if (env->FileExists(v.path)) {
    auto text = env->ReadFileUpTo(v.path, kMaxLedgerBytes);
    if (text.ok()) {
      v.ledger = CheckLedgerText(*text);
    } else {
      // A ledger that is there but cannot be read fails the check; it is never skipped.
      v.ledger = LedgerReport{};
      v.ledger->ok = false;
      v.ledger->message = "ledger: " + text.status().message();
    }
  }
  if (v.ledger) {
    for (const auto& e : v.ledger->entries) {
      if (!id.empty() && e.cert_id == id) v.entry = &e;
    }
  }
  return v;
}

// Checks 1-3: signature, chain, validity at signing time. False when one failed.
bool CheckSignature(const LedgerView& lv, CertVerifyReport* r, SignatureReport* sig,
                    const CertVerifyOptions& opts) {
  auto verified = VerifyDetached(r->json_bytes, r->p7s_der, opts.trust_pem);
  if (!verified.ok()) {  // a .p7s that is not a CMS signature at all
    Fail(r, "signature", "signature: " + verified.status().message());
    return false;
  }
  *sig = std::move(*verified);
  if (!sig->ok()) {
    Fail(r, sig->check, sig->check + ": " + sig->message);
    // sign.cc words an untrusted (but otherwise sound) signer this way; a broken chain differs.
    r->untrusted = sig->check == "chain" && sig->signature_ok &&
                   sig->message.rfind("signature valid but signer untrusted", 0) == 0;
    if (sig->check == "signature" && lv.entry != nullptr) {
      if (lv.entry->json_sha256 != r->json_sha256) {
        r->message +=
            "; the ledger records another digest for this certificate id, so the JSON was modified";
      } else if (lv.entry->p7s_sha256 != Sha256Hex(r->p7s_der)) {
        r->message +=
            "; the JSON matches the ledger, so the .p7s is another certificate's signature";
      }
    }
    return false;
  }
  r->passed.push_back("signature: valid over the exact " + std::to_string(r->json_bytes.size()) +
                      " bytes, signed " + UtcIso(sig->signing_time_unix * 1000));
  r->passed.push_back("chain: '" + sig->signer.subject + "' chains to the trust anchor");
  r->passed.emplace_back("validity: the station certificate was valid at the signing time");
  return true;
}

// Check 4: the schema, and the signer named in the document is the one that signed.
bool CheckSchema(const nlohmann::json& doc, const SignatureReport& sig, CertVerifyReport* r) {
  if (doc.is_null()) {
    Fail(r, "schema", "schema: the certificate is not valid JSON");
    return false;
  }
  if (Status s = ValidateAnySchema(doc); !s.ok()) {
    Fail(r, "schema", "schema: " + s.message());
    return false;
  }
  if (doc["signer"]["sha256_fingerprint"] != sig.signer.sha256_fingerprint) {
    Fail(r, "schema",
         "schema: the document names signer " +
             doc["signer"]["sha256_fingerprint"].get<std::string>() + " but was signed by " +
             sig.signer.sha256_fingerprint);
    return false;
  }
  r->passed.emplace_back(r->kind == "erasure"
                             ? "schema: certificates/schema-v1.json"
                             : "schema: certificates/document-v1.json (" + r->kind + ")");
  return true;
}

// Check 5 (PDF only): the file is exactly the PDF kesu renders from the verified attachments.
bool CheckPage(Env* env, const nlohmann::json& doc, const std::string& file_bytes,
               CertVerifyReport* r) {
  auto page = RenderCertificatePdfBytes(env, doc, r->json_bytes, r->p7s_der);
  if (!page.ok()) {
    Fail(r, "page",
         "page: cannot re-render the page to compare it (" + page.status().message() +
             "); verify the JSON and .p7s instead");
    return false;
  }
  if (*page != file_bytes) {
    Fail(r, "page",
         "page altered: the PDF is not the page kesu rendered for this certificate; verify the "
         "JSON and .p7s");
    return false;
  }
  r->passed.emplace_back("page: the PDF is byte for byte the page kesu renders from the JSON");
  return true;
}

// Check 6: ledger inclusion (and, for a PDF, that the digest the QR code shows is recorded).
void CheckLedger(const LedgerView& lv, CertVerifyReport* r) {
  if (!lv.ledger) {
    r->passed.push_back(std::string(r->pdf ? "qr/" : "") + "ledger: not checked (no " + lv.path +
                        "); compare the QR code with " + QrPayloadFor(r->id, r->json_sha256));
    return;
  }
  if (!lv.ledger->ok) return Fail(r, "ledger", lv.ledger->message);
  if (lv.entry == nullptr) {
    return Fail(r, "ledger", "ledger: certificate " + r->id + " is not in " + lv.path);
  }
  if (lv.entry->json_sha256 != r->json_sha256 || lv.entry->p7s_sha256 != Sha256Hex(r->p7s_der)) {
    const std::string check = r->pdf ? "qr" : "ledger";
    return Fail(r, check,
                check + ": seq " + std::to_string(lv.entry->seq) +
                    " records other digests for certificate " + r->id);
  }
  if (r->pdf) {
    r->passed.push_back("qr: attached JSON hashes to " + r->json_sha256 +
                        ", the digest recorded for " + r->id);
  }
  r->passed.push_back("ledger: seq " + std::to_string(lv.entry->seq) + " in " + lv.path);
}

}  // namespace

CertVerdict CertVerifyReport::verdict() const {
  if (!ok()) return untrusted ? CertVerdict::kUntrusted : CertVerdict::kInvalid;
  // A document of another kind attests what it records (an inspection that found data, a
  // return check that found changes): authentic is valid; its result is in the verdict line.
  if (kind != "erasure") return CertVerdict::kValid;
  return outcome == "success" ? CertVerdict::kValid : CertVerdict::kNotSanitized;
}

std::string CertVerifyReport::VerdictLine() const {
  switch (verdict()) {
    case CertVerdict::kValid:
      if (kind != "erasure") {
        return "VALID — " + kind + " document " + id + ", result " +
               (outcome.empty() ? "none" : outcome);
      }
      return "VALID — certificate " + id + ", outcome success: the medium was sanitized";
    case CertVerdict::kNotSanitized:
      return "AUTHENTIC — medium NOT sanitized (" + (outcome.empty() ? "no outcome" : outcome) +
             "): certificate " + id + " is genuine and records that the erasure did not succeed";
    case CertVerdict::kUntrusted:
      return "UNTRUSTED — " + message;
    case CertVerdict::kInvalid:
      break;
  }
  return "INVALID — " + message;
}

Result<CertVerifyReport> VerifyCertificateFile(Env* env, const std::string& file,
                                               const CertVerifyOptions& opts) {
  CertVerifyReport r;
  r.file = file;
  std::string file_bytes;
  KESU_RETURN_IF_ERROR(ReadInput(env, file, &r, &file_bytes));
  if (!r.ok()) return r;
  r.json_sha256 = Sha256Hex(r.json_bytes);
  const nlohmann::json doc = ParseDocument(&r);
  const LedgerView lv = LoadLedger(env, file, opts, r.id);

  SignatureReport sig;
  if (!CheckSignature(lv, &r, &sig, opts) || !CheckSchema(doc, sig, &r)) return r;
  if (r.pdf && !CheckPage(env, doc, file_bytes, &r)) return r;
  CheckLedger(lv, &r);
  return r;
}

}  // namespace kesu::certs
