// See ledger_index.h.
#include "certs/ledger_index.h"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "certs/sign.h"
#include "crypto/sha256.h"

namespace kesu {

using nlohmann::json;

namespace {

// The string at `pointer`, unwrapping a field object ({"source", "value"}); "" when absent.
std::string Str(const json& doc, const char* pointer) {
  const json::json_pointer p(pointer);
  if (!doc.is_object() || !doc.contains(p)) return "";
  const json* v = &doc.at(p);
  if (v->is_object() && v->contains("value")) v = &(*v)["value"];
  return v->is_string() ? v->get<std::string>() : "";
}

// Reads and checks one ledger line's files into `d`.
void LoadOne(Env* env, const std::string& cert_dir, const std::string& trust_pem,
             LedgerDocument* d) {
  d->json_path = JoinPath(cert_dir, d->entry.file);
  auto bytes = env->ReadFile(d->json_path);
  auto p7s = env->ReadFile(d->json_path + ".p7s");
  if (!bytes.ok() || !p7s.ok()) {
    d->problem = (!bytes.ok() ? bytes.status() : p7s.status()).message();
    return;
  }
  d->json_bytes = std::move(*bytes);
  d->p7s_der = std::move(*p7s);
  d->doc = json::parse(d->json_bytes, nullptr, false);
  if (d->doc.is_discarded() || !d->doc.is_object()) {
    d->doc = nullptr;
    d->problem = d->entry.file + ": not a JSON document";
    return;
  }
  auto kind = KindOf(d->doc);
  if (kind.ok()) d->kind = *kind;
  if (Sha256Hex(d->json_bytes) != d->entry.json_sha256 ||
      Sha256Hex(d->p7s_der) != d->entry.p7s_sha256) {
    d->problem = d->entry.file + ": does not hash to the digest the ledger records (edited)";
    return;
  }
  auto sig = certs::VerifyDetached(d->json_bytes, d->p7s_der, trust_pem);
  if (!sig.ok() || !sig->signature_ok || (!trust_pem.empty() && !sig->ok())) {
    d->problem = d->entry.file + ": " + (sig.ok() ? sig->message : sig.status().message());
  }
}

}  // namespace

Result<std::vector<LedgerDocument>> ReadLedgerDocuments(Env* env, const std::string& cert_dir,
                                                        const std::string& trust_pem) {
  std::vector<LedgerDocument> out;
  const std::string path = JoinPath(cert_dir, certs::kLedgerFile);
  if (!env->FileExists(path)) return out;
  KESU_ASSIGN_OR_RETURN(std::string text, env->ReadFileUpTo(path, certs::kMaxLedgerBytes));
  certs::LedgerReport r = certs::CheckLedgerText(text);
  if (!r.ok) {
    return Status::Corruption(path + ": " + r.message + "; run 'kesu ledger verify'");
  }
  out.reserve(r.entries.size());
  for (certs::LedgerEntry& e : r.entries) {
    LedgerDocument d;
    d.entry = std::move(e);
    LoadOne(env, cert_dir, trust_pem, &d);
    out.push_back(std::move(d));
  }
  return out;
}

std::vector<std::string> SerialsOf(const json& doc) {
  std::vector<std::string> out;
  auto add = [&out](const std::string& s) {
    if (!s.empty() && std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  };
  add(Str(doc, "/subject/serial"));
  add(Str(doc, "/media/serial"));
  for (const char* list : {"/subject/serials", "/body/items"}) {
    const json::json_pointer p(list);
    if (!doc.is_object() || !doc.contains(p) || !doc.at(p).is_array()) continue;
    for (const json& x : doc.at(p)) {
      if (x.is_string()) add(x.get<std::string>());
      if (x.is_object()) add(x.value("serial", ""));
    }
  }
  return out;
}

LedgerRow RowFor(const LedgerDocument& d) {
  LedgerRow r;
  r.seq = d.entry.seq;
  r.kind = DocumentKindName(d.kind);
  r.id = d.entry.cert_id;
  r.issued_ms = d.entry.issued_ms;
  r.file = d.entry.file;
  r.problem = d.problem;
  const json& doc = d.doc;
  if (!doc.is_object()) return r;
  r.issued_utc = Str(doc, "/issued_utc");
  r.customer = Str(doc, "/customer/name");
  const std::vector<std::string> serials = SerialsOf(doc);
  for (const std::string& s : serials) r.serial += (r.serial.empty() ? "" : " ") + s;
  r.model = Str(doc, "/media/model");
  if (r.model.empty()) r.model = Str(doc, "/subject/model");
  r.work_order = Str(doc, "/references/work_order");
  r.work_order_sha256 = Str(doc, "/references/work_order_sha256");
  r.method = Str(doc, "/sanitization/method_id");
  if (r.method.empty()) r.method = Str(doc, "/body/method/id");
  if (r.method.empty()) r.method = Str(doc, "/body/event");
  r.outcome = Str(doc, "/outcome/result");
  r.subject = Str(doc, "/subject/custody_subject");
  if (r.subject.empty()) r.subject = Str(doc, "/subject/id");
  if (r.subject.empty()) r.subject = r.serial;
  if (r.subject.empty()) r.subject = Str(doc, "/media/path");  // an image file has no serial
  return r;
}

bool Matches(const DocumentFilter& f, const LedgerRow& row) {
  auto has_word = [](const std::string& list, const std::string& w) {
    size_t pos = 0;
    while (pos <= list.size()) {
      size_t end = list.find(' ', pos);
      if (end == std::string::npos) end = list.size();
      if (list.compare(pos, end - pos, w) == 0) return true;
      pos = end + 1;
    }
    return false;
  };
  if (!f.customer.empty() && row.customer != f.customer) return false;
  if (!f.serial.empty() && !has_word(row.serial, f.serial)) return false;
  const bool by_ref = !f.work_order.empty() && row.work_order == f.work_order;
  const bool by_sha = !f.work_order_sha256.empty() && row.work_order_sha256 == f.work_order_sha256;
  if ((!f.work_order.empty() || !f.work_order_sha256.empty()) && !by_ref && !by_sha) return false;
  if (!f.outcome.empty() && row.outcome != f.outcome) return false;
  if (!f.kind.empty() && row.kind != f.kind) return false;
  if (f.from_ms != 0 && row.issued_ms < f.from_ms) return false;
  if (f.to_ms != 0 && row.issued_ms >= f.to_ms) return false;
  return true;
}

Result<int64_t> ParseDateMs(const std::string& text, bool end_of_day, const std::string& what) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  char tail = 0;
  bool date_only = false;
  if (text.size() == 10 && std::sscanf(text.c_str(), "%4d-%2d-%2d%c", &y, &mo, &d, &tail) == 3) {
    date_only = true;
  } else if (text.size() != 20 ||
             std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2dZ", &y, &mo, &d, &h, &mi, &s) != 6) {
    return Status::InvalidArgument(
        what + " '" + text + "' is not a date; write YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC)");
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) {
    return Status::InvalidArgument(what + " '" + text + "' is not a valid date");
  }
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  int64_t secs = ::timegm(&tm);
  if (date_only && end_of_day) secs += 86400;
  return secs * 1000;
}

std::vector<ChainEvent> CustodyEventsFor(const std::string& subject,
                                         const std::vector<LedgerDocument>& docs) {
  std::vector<ChainEvent> out;
  for (const LedgerDocument& d : docs) {
    if (d.kind != DocumentKind::kCustodyEvent || !d.problem.empty() || !d.doc.is_object()) continue;
    const json& doc = d.doc;
    // The subject itself, or one of the items a `received` event took in under a batch id.
    bool about = Str(doc, "/subject/custody_subject") == subject ||
                 Str(doc, "/subject/serial") == subject || Str(doc, "/subject/id") == subject ||
                 Str(doc, "/subject/path") == subject;
    const json::json_pointer items("/body/items");
    if (!about && doc.contains(items) && doc.at(items).is_array()) {
      for (const json& i : doc.at(items))
        about = about || (i.is_object() && i.value("serial", "") == subject);
    }
    if (!about) continue;
    ChainEvent e;
    e.id = Str(doc, "/id");
    e.event = Str(doc, "/body/event");
    e.by = Str(doc, "/body/by");
    e.place = Str(doc, "/body/place");
    e.seal = Str(doc, "/body/seal");
    e.note = Str(doc, "/body/note");
    e.time_utc = Str(doc, "/body/at_utc");
    e.file = d.entry.file;
    e.seq = d.entry.seq;
    e.at_ms = d.entry.issued_ms;
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace kesu
