// See record_rows.h.
#include "certs/record_rows.h"

#include "certs/pdf_rows.h"

namespace kesu {

using nlohmann::json;

namespace {

constexpr size_t kMaxItems = 10;

std::string T(const json& doc, const char* pointer) {
  return pdf_internal::Show(pdf_internal::FindField(doc, pointer));
}
std::string S(const json& o, const char* key) {
  return o.is_object() && o.contains(key) && o[key].is_string() ? o[key].get<std::string>() : "";
}
const json& Arr(const json& doc, const char* pointer) {
  static const json kEmpty = json::array();
  const json* v = pdf_internal::FindField(doc, pointer);
  return v != nullptr && v->is_array() ? *v : kEmpty;
}

std::string ItemLine(const json& i) {
  std::string s = S(i, "model");
  for (const char* k : {"capacity", "media"}) {
    if (!S(i, k).empty()) s += (s.empty() ? "" : ", ") + S(i, k);
  }
  if (!S(i, "nist_category").empty()) s += "; NIST " + S(i, "nist_category");
  s += S(i, "identity_source") == "measured" ? " (読取 / read from the drive)" : " (入力 / typed)";
  if (!S(i, "condition").empty()) s += "; 状態 " + S(i, "condition");
  return s;
}

DocumentSection Items(const json& doc) {
  const json& items = Arr(doc, "/body/items");
  DocumentSection s{"対象機器", "Devices (" + std::to_string(items.size()) + ")", {}};
  for (size_t n = 0; n < items.size() && n < kMaxItems; ++n) {
    s.rows.push_back({"製造番号", S(items[n], "serial"), ItemLine(items[n])});
  }
  if (items.size() > kMaxItems) {
    s.rows.push_back({"省略", "Not shown",
                      std::to_string(items.size() - kMaxItems) + " more: see the attached JSON"});
  }
  return s;
}

std::string ChainLine(const json& chain) {
  std::string s;
  for (const json& e : chain.value("events", json::array())) {
    s += (s.empty() ? "" : " → ") + S(e, "event") + " (" + S(e, "by") + ", " +
         S(e, "at_utc").substr(0, 10) + ")";
  }
  return s.empty() ? "記録なし / no custody events" : s;
}

DocumentSection Custody(const json& chains) {
  DocumentSection s{"保管記録", "Custody (clause 3-10 ③)", {}};
  for (const json& c : chains) {
    // The gaps themselves are the document's warnings, listed at the top of the page.
    const size_t gaps = c.value("gaps", json::array()).size();
    s.rows.push_back(
        {"経過", S(c, "subject"),
         ChainLine(c) + (gaps == 0 ? ""
                                   : "  [欠落 " + std::to_string(gaps) + " 件 / " +
                                         std::to_string(gaps) + " gap(s): see the warnings]")});
  }
  return s;
}

std::vector<DocumentSection> RecordRows(const json& doc) {
  DocumentSection work{"作業内容", "Work", {}};
  work.rows.push_back(
      {"方式", "Method", T(doc, "/body/method/title") + " (" + T(doc, "/body/method/id") + ")"});
  work.rows.push_back({"根拠", "Reference", T(doc, "/body/method/reference")});
  const json* agreed = pdf_internal::FindField(doc, "/body/method/agreed_method");
  work.rows.push_back({"合意方式", "Agreed method",
                       agreed != nullptr && agreed->is_string()
                           ? agreed->get<std::string>() + " (一致 / matches: " +
                                 T(doc, "/body/method/is_agreed_method") + ")"
                           : "記録なし / not recorded (no work order file)"});
  work.rows.push_back({"実施日時", "Performed (UTC)", T(doc, "/body/performed_utc")});
  work.rows.push_back({"使用機器", "Equipment", T(doc, "/body/equipment")});
  work.rows.push_back({"立会人", "Witness", T(doc, "/body/witness")});
  work.rows.push_back({"場所", "Place", T(doc, "/body/place")});
  work.rows.push_back({"NIST 区分", "NIST SP 800-88", T(doc, "/body/nist_category")});
  std::vector<DocumentSection> out = {work};
  if (pdf_internal::FindField(doc, "/body/documents") != nullptr) {
    DocumentSection d{"文書", "Documents", {}};
    d.rows.push_back({"バッチ", "Batch", T(doc, "/body/documents/batch_id")});
    d.rows.push_back({"内容", "Description", T(doc, "/body/documents/description")});
    d.rows.push_back({"重量 (kg)", "Weight (kg)", T(doc, "/body/documents/weight_kg")});
    d.rows.push_back({"箱数", "Boxes", T(doc, "/body/documents/boxes")});
    out.push_back(d);
  }
  DocumentSection photos{"写真", "Photos (SHA-256; files beside the record)", {}};
  for (const json& p : Arr(doc, "/body/photos")) {
    photos.rows.push_back({"写真", S(p, "name"), S(p, "sha256")});
  }
  if (photos.rows.empty()) photos.rows.push_back({"写真", "Photos", "なし / none"});
  out.push_back(photos);
  if (pdf_internal::FindField(doc, "/body/documents") == nullptr) out.push_back(Items(doc));
  if (!Arr(doc, "/body/custody").empty()) out.push_back(Custody(Arr(doc, "/body/custody")));
  return out;
}

std::vector<DocumentSection> CustodyEventRows(const json& doc) {
  DocumentSection e{"保管事象", "Custody event", {}};
  e.rows.push_back({"事象", "Event", T(doc, "/body/event")});
  e.rows.push_back({"担当者", "By", T(doc, "/body/by")});
  e.rows.push_back({"日時", "At (UTC)", T(doc, "/body/at_utc")});
  e.rows.push_back({"場所", "Place", T(doc, "/body/place")});
  e.rows.push_back({"封印番号", "Seal", T(doc, "/body/seal")});
  e.rows.push_back({"備考", "Note", T(doc, "/body/note")});
  std::vector<DocumentSection> out = {e};
  if (!Arr(doc, "/body/items").empty()) out.push_back(Items(doc));
  json before = {{"subject", T(doc, "/subject/custody_subject")},
                 {"events", Arr(doc, "/body/chain_before")},
                 {"gaps", json::array()}};
  DocumentSection c{"これまでの保管記録", "Chain before this event", {}};
  c.rows.push_back({"経過", S(before, "subject"), ChainLine(before)});
  out.push_back(c);
  return out;
}

}  // namespace

std::vector<DocumentSection> RecordDocumentRows(const std::string& kind, const json& doc) {
  if (kind == "record") return RecordRows(doc);
  if (kind == "custody-event") return CustodyEventRows(doc);
  return {};
}

}  // namespace kesu
