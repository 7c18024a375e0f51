// See document.h.
#include "certs/document.h"

#include <spdlog/spdlog.h>

#include "certs/crypto.h"
#include "certs/dn.h"
#include "certs/ledger.h"
#include "certs/pdf.h"
#include "certs/schema.h"
#include "certs/sign.h"
#include "crypto/sha256.h"
#include "kesu/build_info.h"

namespace kesu {

using nlohmann::json;

const char* DocumentKindName(DocumentKind k) { return NameOf(kDocumentKindNames, k); }

Result<DocumentKind> KindOf(const json& doc) {
  if (!doc.is_object() || !doc.contains("kind")) return DocumentKind::kErasure;
  const json& k = doc["kind"];
  if (!k.is_string()) {
    return Status::InvalidArgument("document: \"kind\" is not a string");
  }
  for (const auto& e : kDocumentKindNames) {
    // The erasure certificate never carries a "kind": "erasure" spelled out is not one.
    if (e.value != DocumentKind::kErasure && k.get<std::string>() == e.name) return e.value;
  }
  return Status::InvalidArgument("document: unknown kind \"" + k.get<std::string>() + "\"");
}

Result<json> BuildDocument(const DocumentContent& c, const CertificateContext& ctx) {
  if (c.kind == DocumentKind::kErasure) {
    return Status::InvalidArgument("document: an erasure certificate is built by BuildCertificate");
  }
  if (ctx.id.empty()) return Status::InvalidArgument("document: no id in the context");
  if (ctx.issued_ms <= 0) return Status::InvalidArgument("document: no issue time in the context");
  json doc = EnvelopeFields(ctx);
  doc["schema_version"] = 1;
  doc["kind"] = DocumentKindName(c.kind);
  doc["id"] = ctx.id;
  doc["title"] = c.title;
  doc["issued_ms"] = ctx.issued_ms;
  doc["issued_utc"] = certs::UtcIso(ctx.issued_ms);
  doc["tool"] = {{"name", "kesu"},
                 {"version", KESU_VERSION},
                 {"build", std::string(KESU_GIT_REV) + " " + KESU_BUILD_TYPE}};
  doc["subject"] = c.subject.is_object() ? c.subject : json::object();
  doc["body"] = c.body.is_object() ? c.body : json::object();
  doc["outcome"] = {{"result", c.result}, {"statement", c.statement}, {"errors", c.errors}};
  return doc;
}

Status ValidateDocumentSchema(const json& doc) { return certs::ValidateDocumentV1Schema(doc); }

Status ValidateAnySchema(const json& doc) {
  KESU_ASSIGN_OR_RETURN(DocumentKind kind, KindOf(doc));
  return kind == DocumentKind::kErasure ? certs::ValidateCertificateSchema(doc)
                                        : ValidateDocumentSchema(doc);
}

namespace {

// A field object's string value, or a plain string; "" otherwise.
std::string Str(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_object() && v.contains("value") && v["value"].is_string()) return v["value"];
  return "";
}

std::string Member(const json& obj, const char* key) {
  return obj.is_object() && obj.contains(key) ? Str(obj[key]) : "";
}

}  // namespace

std::string DocumentFileStem(const json& doc) {
  std::string station = Member(doc.value("station", json::object()), "name");
  if (station.empty()) station = Member(doc.value("station", json::object()), "host");
  if (station.empty()) station = "station";
  const json subject = doc.value("subject", json::object());
  std::string what = Member(subject, "serial");
  if (what.empty()) what = Member(subject, "id");
  if (what.empty()) {
    std::string path = Member(subject, "path");
    what = path.substr(path.find_last_of('/') + 1);
  }
  if (what.empty()) what = "subject";
  std::string result = Member(doc.value("outcome", json::object()), "result");
  for (auto& ch : result) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  const std::string id = Member(doc, "id");
  const int64_t ms = doc.value("issued_ms", int64_t{0});
  return SanitizeFileComponent(station) + "_" + certs::UtcCompact(ms) + "_" +
         SanitizeFileComponent(Member(doc, "kind")) + "_" + SanitizeFileComponent(what) + "_" +
         SanitizeFileComponent(result.empty() ? "UNKNOWN" : result) + "_" + id.substr(0, 8);
}

namespace {

bool SafeExtraName(const std::string& n) {
  if (n.empty() || n.front() == '.') return false;
  for (unsigned char c : n) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Status IssueDocument(Env* env, const json& in, const IssueOptions& opts,
                     const certs::Signer& signer, const std::vector<ExtraFile>& extra,
                     IssuedCertificate* out) {
  KESU_ASSIGN_OR_RETURN(DocumentKind kind, KindOf(in));
  if (kind == DocumentKind::kErasure || !in.is_object()) {
    return Status::InvalidArgument("document: IssueDocument needs a document with a \"kind\"");
  }
  for (const auto& f : extra) {
    if (!SafeExtraName(f.name)) {
      return Status::InvalidArgument("document: extra file name \"" + f.name +
                                     "\" is not [A-Za-z0-9._-]");
    }
  }
  json doc = in;
  KESU_ASSIGN_OR_RETURN(std::string id, certs::NewUuid());
  const int64_t now = env->NowUnixMillis();
  const certs::CertSummary s = certs::Summarize(signer.cert.get());
  doc["id"] = id;
  doc["issued_ms"] = now;
  doc["issued_utc"] = certs::UtcIso(now);
  doc["signer"] = {{"subject", s.subject},
                   {"issuer", s.issuer},
                   {"serial", s.serial_hex},
                   {"sha256_fingerprint", s.sha256_fingerprint},
                   {"not_before_utc", s.not_before_utc},
                   {"not_after_utc", s.not_after_utc},
                   {"self_signed", s.self_signed}};
  // As for erasure certificates: without a configured name, the station certificate names the
  // organisation (O) and the station (CN); the first-use key's self-signed name is no one's.
  if (!signer.first_use) {
    auto fill = [&](const char* part, const char* attribute) {
      json& f = doc[part]["name"];
      if (!f.is_object() || f.value("source", "") != "not-recorded") return;
      if (auto v = certs::DnAttribute(s.subject, attribute); v && !v->empty()) {
        f = {{"source", "attested"}, {"value", *v}};
      }
    };
    fill("organisation", "O");
    fill("station", "CN");
  }
  if (Status v = ValidateDocumentSchema(doc); !v.ok()) {
    return Status::Internal(std::string(DocumentKindName(kind)) +
                            " document fails its own schema: " + v.message());
  }
  const std::string bytes = SerializeCertificate(doc);
  KESU_ASSIGN_OR_RETURN(std::string p7s, certs::SignDetached(signer, bytes, now));
  const std::string stem = DocumentFileStem(doc);
  KESU_RETURN_IF_ERROR(env->CreateDir(opts.cert_dir, 0700));
  out->id = id;
  out->kind = DocumentKindName(kind);
  out->result = doc["outcome"]["result"];
  out->json_path = JoinPath(opts.cert_dir, stem + ".json");
  out->p7s_path = out->json_path + ".p7s";
  out->json_sha256 = Sha256Hex(bytes);
  KESU_RETURN_IF_ERROR(env->WriteFileAtomic(out->json_path, bytes, 0600));
  KESU_RETURN_IF_ERROR(env->WriteFileAtomic(out->p7s_path, p7s, 0600));
  for (const auto& f : extra) {
    const std::string path = JoinPath(opts.cert_dir, stem + "." + f.name);
    KESU_RETURN_IF_ERROR(env->WriteFileAtomic(path, f.bytes, 0600));
    out->extra_paths.push_back(path);
  }
  KESU_ASSIGN_OR_RETURN(certs::LedgerEntry entry,
                        certs::LedgerAppend(env, opts.cert_dir, signer, id, stem + ".json", now,
                                            out->json_sha256, Sha256Hex(p7s)));
  out->ledger_seq = entry.seq;
  if (opts.render_pdf) {
    const std::string pdf = JoinPath(opts.cert_dir, stem + ".pdf");
    Status r = RenderCertificatePdf(env, doc, bytes, p7s, pdf);
    if (r.ok()) {
      out->pdf_path = pdf;
    } else {
      out->warnings.push_back("PDF not written: " + r.message());
      spdlog::warn("PDF not written: {}", r.message());
    }
  }
  return Status::Ok();
}

}  // namespace kesu
