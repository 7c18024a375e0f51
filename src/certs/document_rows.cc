// See document_rows.h.
#include "certs/document_rows.h"

#include "certs/dn.h"
#include "certs/media_rows.h"
#include "certs/pdf_rows.h"
#include "certs/record_rows.h"

namespace kesu {

using nlohmann::json;

namespace {

struct KindTitle {
  const char* kind;
  const char* ja;
  const char* en;
};
constexpr KindTitle kTitles[] = {
    {"inspection", "消去前検査記録", "Pre-erasure inspection"},
    {"fingerprint", "受入時記録 (内容のハッシュ値)", "Intake fingerprint"},
    {"return-check", "返却時照合記録", "Return check"},
    {"record", "物理的破壊・消磁 作業記録", "Record of physical sanitization"},
    {"custody-event", "保管・移動記録", "Custody event"},
    {"receipt", "預り証", "Receipt for equipment taken in"},
};

std::string Humanize(const std::string& key) {
  std::string s = key;
  for (auto& c : s) {
    if (c == '_') c = ' ';
  }
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

bool IsFieldObject(const json& v) {
  return v.is_object() && v.contains("source") && v.contains("value") && v.size() == 2;
}

std::string Value(const json& v) { return pdf_internal::Show(&v); }

std::string Text(const json& doc, const char* pointer) {
  return pdf_internal::Show(pdf_internal::FindField(doc, pointer));
}

DocumentSection DocumentPart(const json& doc) {
  const DocumentTitles t = TitlesFor(doc);
  DocumentSection s{"文書", "Document", {}};
  s.rows.push_back({"種類", "Kind", t.ja + " / " + t.en});
  s.rows.push_back({"文書ID", "Document ID", Text(doc, "/id")});
  s.rows.push_back(
      {"発行日時", "Issued", pdf_internal::ShowTime(pdf_internal::FindField(doc, "/issued_ms"))});
  // The result and the statement are in the banner above the sections (and in the JSON).
  const json* errors = pdf_internal::FindField(doc, "/outcome/errors");
  if (errors != nullptr && errors->is_array()) {
    for (const auto& e : *errors) s.rows.push_back({"警告", "Warning", Value(e)});
  }
  return s;
}

DocumentSection PeoplePart(const json& doc) {
  DocumentSection s{"作業", "Work", {}};
  s.rows.push_back({"組織", "Organisation", Text(doc, "/organisation/name")});
  s.rows.push_back({"作業端末", "Station",
                    Text(doc, "/station/name") + " (" + Text(doc, "/station/host") + ")"});
  s.rows.push_back({"作業者", "Operator", Text(doc, "/operator/name")});
  s.rows.push_back({"顧客", "Customer", Text(doc, "/customer/name")});
  s.rows.push_back({"作業指示書", "Work order", Text(doc, "/references/work_order")});
  s.rows.push_back({"契約・覚書", "Agreement", Text(doc, "/references/agreement")});
  s.rows.push_back({"承認", "Approval", Text(doc, "/references/approval")});
  return s;
}

DocumentSection SignerPart(const json& doc) {
  DocumentSection s{"署名者", "Signer", {}};
  s.rows.push_back({"主体", "Subject", certs::DnForPeople(Text(doc, "/signer/subject"))});
  s.rows.push_back({"発行者", "Issuer", certs::DnForPeople(Text(doc, "/signer/issuer"))});
  s.rows.push_back({"指紋", "SHA-256", Text(doc, "/signer/sha256_fingerprint")});
  return s;
}

// The kind's own content rows; empty when the kind has no row function (the generic walk is
// used). Add a case here for a kind whose body reads better laid out by hand.
std::vector<DocumentSection> KindRows(const std::string& kind, const json& doc) {
  if (kind == "inspection") return InspectionRows(doc);
  if (kind == "fingerprint") return FingerprintRows(doc);
  if (kind == "return-check") return ReturnCheckRows(doc);
  return RecordDocumentRows(kind, doc);
}

}  // namespace

DocumentTitles TitlesFor(const json& doc) {
  const std::string kind = doc.is_object() ? doc.value("kind", std::string()) : std::string();
  DocumentTitles t{"署名付き記録", "Signed record"};
  for (const auto& k : kTitles) {
    if (kind == k.kind) t = {k.ja, k.en};
  }
  if (doc.is_object() && doc.contains("title") && doc["title"].is_string() &&
      !doc["title"].get<std::string>().empty()) {
    t.en = doc["title"];
  }
  return t;
}

bool IsAlarmingResult(const std::string& r) {
  return r == "failed" || r == "interrupted" || r == "partial" || r == "changed" ||
         r == "unreadable" || r.empty();
}

bool GenericRows(const json& v, const std::string& label, std::vector<DocumentRow>* rows,
                 size_t max_rows) {
  if (rows->size() >= max_rows) return false;
  if (IsFieldObject(v) || !(v.is_object() || v.is_array())) {
    rows->push_back({"", label, Value(v)});
    return true;
  }
  if (v.is_object()) {
    bool all = true;
    for (auto it = v.begin(); it != v.end(); ++it) {
      all =
          GenericRows(*it, label.empty() ? Humanize(it.key()) : label + " / " + Humanize(it.key()),
                      rows, max_rows) &&
          all;
    }
    return all;
  }
  bool scalars = true;
  for (const auto& e : v) scalars = scalars && !(e.is_object() || e.is_array());
  if (scalars) {
    rows->push_back({"", label, v.empty() ? std::string("—") : Value(v)});
    return true;
  }
  bool all = true;
  for (size_t i = 0; i < v.size(); ++i) {
    all = GenericRows(v[i], label + " " + std::to_string(i + 1), rows, max_rows) && all;
  }
  return all;
}

std::vector<DocumentSection> DocumentSections(const json& doc, size_t max_rows) {
  std::vector<DocumentSection> out{DocumentPart(doc), PeoplePart(doc)};
  const json subject = doc.is_object() ? doc.value("subject", json::object()) : json::object();
  DocumentSection subj{"対象", "Subject", {}};
  bool complete = GenericRows(subject, "", &subj.rows, max_rows);
  out.push_back(std::move(subj));
  const std::string kind = doc.is_object() ? doc.value("kind", std::string()) : std::string();
  std::vector<DocumentSection> own = KindRows(kind, doc);
  if (!own.empty()) {
    for (auto& s : own) out.push_back(std::move(s));
  } else {
    DocumentSection body{"内容", "Content", {}};
    const json b = doc.is_object() ? doc.value("body", json::object()) : json::object();
    complete = GenericRows(b, "", &body.rows, max_rows) && complete;
    out.push_back(std::move(body));
  }
  if (!complete) {
    out.back().rows.push_back(
        {"省略", "Not shown", "more rows than fit here: see the attached signed JSON"});
  }
  out.push_back(SignerPart(doc));
  return out;
}

}  // namespace kesu
