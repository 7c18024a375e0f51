// See record.h.
#include "certs/record.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "certs/crypto.h"

namespace kesu {

using nlohmann::json;

namespace {

bool AnyItem(const RecordInput& in) { return !in.items.empty(); }
bool EverySerial(const RecordInput& in) {
  return AnyItem(in) && std::all_of(in.items.begin(), in.items.end(),
                                    [](const RecordItem& i) { return !i.serial.empty(); });
}

// Whether the evidence item `name` is present in `in`; nullopt for a name kesu does not know.
std::optional<bool> HasEvidence(std::string_view name, const RecordInput& in) {
  if (name == "operator") return !in.operator_name.empty();
  if (name == "witness") return !in.witness.empty();
  if (name == "place") return !in.place.empty();
  if (name == "equipment" || name == "degausser_model" || name == "shredder_model") {
    return !in.equipment.empty();
  }
  if (name == "photo_sha256") return !in.photos.empty();
  if (name == "device_serial") return EverySerial(in);
  if (name == "batch_id") return !in.batch_id.empty();
  if (name == "description") return !in.description.empty();
  if (name == "quantity" || name == "sheet_count") return !in.weight.empty() || !in.boxes.empty();
  return std::nullopt;
}

const char* OptionFor(std::string_view name) {
  for (const EvidenceName& e : kEvidenceNames) {
    if (name == e.name) return e.option;
  }
  return "";
}

bool IsFlash(const std::string& media) {
  return media == "ssd" || media == "nvme" || media == "usb-flash" || media == "memory-card";
}

json ItemJson(const RecordItem& i) {
  json j = {{"serial", i.serial},
            {"model", i.model},
            {"capacity", i.capacity},
            {"media", i.media.empty() ? "unknown" : i.media},
            {"transport", i.transport},
            {"path", i.path},
            {"identity_source", i.measured ? "measured" : "attested"}};
  if (i.serial_typed) j["serial_source"] = "attested";
  if (!i.condition.empty()) j["condition"] = i.condition;
  if (i.line != 0) j["batch_line"] = i.line;
  return j;
}

// The subject of a record or custody document: one device's identity, or a batch.
json SubjectFor(const std::vector<RecordItem>& items, const std::string& batch_id) {
  if (items.size() == 1 && batch_id.empty()) return ItemJson(items.front());
  json s = {{"id", batch_id.empty() ? "batch-of-" + std::to_string(items.size()) : batch_id},
            {"items", items.size()}};
  json serials = json::array();
  for (const RecordItem& i : items) serials.push_back(i.serial);
  s["serials"] = serials;
  return s;
}

const char* WorkText(const std::string& kind) {
  if (kind == "degauss") return "degaussed";
  if (kind == "crush") return "crushed";
  return "shredded";
}

}  // namespace

Status CheckRecordEvidence(const Method& m, const RecordInput& in) {
  if (!m.record) return Status::Internal("method " + m.id + " is not a record method");
  for (const std::string& name : m.record->evidence) {
    std::optional<bool> has = HasEvidence(name, in);
    if (!has) {
      return Status::InvalidArgument("method " + m.id + " (" + m.file_path +
                                     ") requires evidence '" + name +
                                     "' that kesu does not know; use names listed in "
                                     "docs/records.md");
    }
    if (!*has) {
      return Status::InvalidArgument("missing evidence '" + name + "' required by method " + m.id +
                                     "; give " + OptionFor(name));
    }
  }
  return Status::Ok();
}

Result<RecordCategory> CategoryForRecord(const Method& m, const RecordItem& item) {
  const bool degauss = m.record && m.record->kind == "degauss";
  if (degauss && IsFlash(item.media)) {
    return Status::Refused("refusing to record degaussing of " +
                           (item.serial.empty() ? item.path : item.serial) + " (media " +
                           item.media +
                           "): a degausser does not erase flash memory (NIST SP 800-88 Rev. 1 "
                           "§2.5); crush or shred it instead (kesu record crush)");
  }
  if (degauss && item.media.empty()) {
    return Status::InvalidArgument(
        "degaussing " + item.serial +
        ": the media type is not known; give --media hdd (or the media column in the batch "
        "file); degaussing is Purge on magnetic disks only");
  }
  RecordCategory rc;
  std::optional<MediaType> media = MediaTypeFromName(item.media);
  if (media && *media != MediaType::kUnknown) {
    rc.category = m.CategoryFor(*media);
  } else {
    for (const auto& [type, cat] : m.nist) {
      if (type != MediaType::kVirtual) rc.category = std::max(rc.category, cat);
    }
  }
  const std::string cat = NistCategoryName(rc.category);
  const std::string media_name = item.media.empty() ? "unknown" : item.media;
  if (rc.category == NistCategory::kNone) {
    rc.reason = "method " + m.id + " reaches no NIST SP 800-88 category on " + media_name +
                " media (" + m.reference + ")";
  } else {
    rc.reason =
        "method " + m.id + " on " + media_name + " media: " + cat + " (" + m.reference + ")";
  }
  return rc;
}

namespace {

// The statement a customer reads.
std::string RecordStatement(const Method& m, const RecordInput& in) {
  const std::string kind = m.record ? m.record->kind : m.id;
  if (in.items.empty()) {
    return "The operator recorded that the documents of batch " + in.batch_id + " were " +
           WorkText(kind) + " (method " + m.id + "), witnessed by " +
           (in.witness.empty() ? "nobody" : in.witness) + ".";
  }
  return "The operator recorded that " + std::to_string(in.items.size()) + " device(s) were " +
         WorkText(kind) + " (method " + m.id + "), witnessed by " +
         (in.witness.empty() ? "nobody" : in.witness) + "; kesu did not perform the work.";
}

std::string Joined(const std::vector<std::string>& v) {
  std::string s;
  for (const std::string& x : v) s += (s.empty() ? "" : " or ") + x;
  return s;
}

json MethodJson(const Method& m, const std::vector<std::string>& agreed_ids) {
  const std::string agreed = Joined(agreed_ids);
  json j = {{"id", m.id},
            {"title", m.title},
            {"reference", m.reference},
            {"file_sha256", m.file_sha256},
            {"record_kind", m.record ? m.record->kind : ""}};
  j["agreed_method"] = agreed.empty() ? json(nullptr) : json(agreed);
  j["is_agreed_method"] =
      agreed.empty()
          ? json(nullptr)
          : json(std::find(agreed_ids.begin(), agreed_ids.end(), m.id) != agreed_ids.end());
  j["evidence_required"] = m.record ? json(m.record->evidence) : json::array();
  return j;
}

}  // namespace

Result<DocumentContent> BuildRecordContent(const Method& m, const RecordInput& in,
                                           const json& custody) {
  const auto& agreed = in.agreed_methods;
  if (!agreed.empty() && std::find(agreed.begin(), agreed.end(), m.id) == agreed.end()) {
    return Status::Refused("the work order's agreed method is " + Joined(agreed) + ", not " + m.id +
                           " (clause 3-10 ②); nothing was recorded");
  }
  KESU_RETURN_IF_ERROR(CheckRecordEvidence(m, in));
  DocumentContent c;
  c.kind = DocumentKind::kRecord;
  c.title = m.title;
  json items = json::array();
  NistCategory weakest = NistCategory::kDestroy;
  for (const RecordItem& i : in.items) {
    KESU_ASSIGN_OR_RETURN(RecordCategory rc, CategoryForRecord(m, i));
    json j = ItemJson(i);
    j["nist_category"] = NistCategoryName(rc.category);
    j["nist_reason"] = rc.reason;
    weakest = std::min(weakest, rc.category);
    items.push_back(std::move(j));
  }
  json photos = json::array();
  for (const PhotoEvidence& p : in.photos) {
    photos.push_back({{"name", p.name}, {"sha256", p.sha256}, {"size_bytes", p.size}});
  }
  c.body = {{"method", MethodJson(m, in.agreed_methods)},
            {"performed_ms", in.performed_ms},
            {"performed_utc", certs::UtcIso(in.performed_ms)},
            {"equipment", in.equipment},
            {"witness", in.witness},
            {"place", in.place},
            {"items", items},
            {"photos", photos},
            {"custody", custody.is_array() ? custody : json::array()}};
  if (in.items.empty()) {
    c.body["documents"] = {{"batch_id", in.batch_id},
                           {"description", in.description},
                           {"weight_kg", in.weight},
                           {"boxes", in.boxes}};
    weakest = m.nist.empty() ? NistCategory::kNone : NistCategory::kDestroy;
  }
  c.body["nist_category"] = NistCategoryName(weakest);
  c.subject = in.items.empty() ? json{{"id", in.batch_id}, {"items", 0}}
                               : SubjectFor(in.items, in.items.size() > 1 ? in.batch_id : "");
  // kesu did not do the work and cannot measure it: the operator's record is "recorded".
  c.result = "recorded";
  c.statement = RecordStatement(m, in);
  for (const json& chain : c.body["custody"]) {
    for (const std::string& g : CustodyGaps(chain)) c.errors.push_back("custody gap: " + g);
  }
  return c;
}

// --- Batch CSV --------------------------------------------------------------------------------

namespace {

// Splits one CSV record starting at `pos` (RFC 4180: quoted fields, "" inside quotes) into
// `fields`; advances `pos` past the line end and counts the lines it spans in `*lines`.
Status SplitRecord(std::string_view text, size_t* pos, std::vector<std::string>* fields,
                   size_t* lines) {
  fields->assign(1, "");
  bool quoted = false;
  *lines = 1;
  for (size_t i = *pos; i < text.size(); ++i) {
    char ch = text[i];
    if (quoted) {
      if (ch == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        fields->back().push_back('"');
        ++i;
      } else if (ch == '"') {
        quoted = false;
      } else {
        if (ch == '\n') ++*lines;
        fields->back().push_back(ch);
      }
    } else if (ch == '"' && fields->back().empty()) {
      quoted = true;
    } else if (ch == ',') {
      fields->emplace_back();
    } else if (ch == '\n') {
      *pos = i + 1;
      return Status::Ok();
    } else if (ch != '\r') {
      fields->back().push_back(ch);
    }
  }
  *pos = text.size();
  if (quoted) return Status::InvalidArgument("a quoted field is not closed; add the closing '\"'");
  return Status::Ok();
}

std::string Trim(std::string s) {
  const char* ws = " \t";
  s.erase(0, s.find_first_not_of(ws));
  s.erase(s.find_last_not_of(ws) + 1);
  return s;
}

const std::vector<std::string>& BatchColumns() {
  static const std::vector<std::string> k = {"serial", "model", "capacity", "media", "condition"};
  return k;
}

// Fills `item` from one row's fields under `header`. kInvalidArgument (without the location).
Status ItemFromRow(const std::vector<std::string>& header, const std::vector<std::string>& row,
                   RecordItem* item) {
  if (row.size() != header.size()) {
    return Status::InvalidArgument(std::to_string(row.size()) + " fields where the header has " +
                                   std::to_string(header.size()));
  }
  for (size_t c = 0; c < header.size(); ++c) {
    const std::string v = Trim(row[c]);
    if (header[c] == "serial") item->serial = v;
    if (header[c] == "model") item->model = v;
    if (header[c] == "capacity") item->capacity = v;
    if (header[c] == "media") item->media = v;
    if (header[c] == "condition") item->condition = v;
  }
  if (item->serial.empty()) return Status::InvalidArgument("the serial is empty");
  if (!item->media.empty() && !MediaTypeFromName(item->media)) {
    return Status::InvalidArgument("unknown media '" + item->media +
                                   "' (use hdd, ssd, nvme, usb-flash, memory-card, "
                                   "external-usb-hdd)");
  }
  return Status::Ok();
}

Result<std::vector<std::string>> ParseHeader(const std::vector<std::string>& fields) {
  std::vector<std::string> header;
  for (const std::string& f : fields) {
    std::string h = Trim(f);
    for (char& ch : h) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    const auto& cols = BatchColumns();
    if (std::find(cols.begin(), cols.end(), h) == cols.end()) {
      return Status::InvalidArgument("unknown column '" + h +
                                     "' in the header (columns: serial, model, capacity, media, "
                                     "condition)");
    }
    if (std::find(header.begin(), header.end(), h) != header.end()) {
      return Status::InvalidArgument("column '" + h + "' appears twice in the header");
    }
    header.push_back(h);
  }
  if (std::find(header.begin(), header.end(), "serial") == header.end()) {
    return Status::InvalidArgument(
        "the header has no 'serial' column; the first line must name "
        "the columns, e.g. serial,model,capacity,media");
  }
  return header;
}

}  // namespace

Result<std::vector<RecordItem>> ParseBatchCsv(std::string_view text, const std::string& file) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // a UTF-8 byte order mark
  std::vector<RecordItem> items;
  std::vector<std::string> header, fields;
  std::set<std::string> serials;
  size_t pos = 0, line = 1;
  while (pos < text.size()) {
    size_t spanned = 1;
    const size_t at = line;
    Status s = SplitRecord(text, &pos, &fields, &spanned);
    line += spanned;
    auto where = [&](const Status& e) {
      return Status::InvalidArgument(file + " line " + std::to_string(at) + ": " + e.message());
    };
    if (!s.ok()) return where(s);
    if (fields.size() == 1 && Trim(fields[0]).empty()) continue;  // blank line
    if (header.empty()) {
      auto h = ParseHeader(fields);
      if (!h.ok()) return where(h.status());
      header = *h;
      continue;
    }
    RecordItem item;
    item.line = at;
    if (Status r = ItemFromRow(header, fields, &item); !r.ok()) return where(r);
    if (!serials.insert(item.serial).second) {
      return where(Status::InvalidArgument("serial " + item.serial + " is listed twice"));
    }
    items.push_back(std::move(item));
  }
  if (items.empty()) {
    return Status::InvalidArgument(file + ": no devices (a header line, then one line per device)");
  }
  return items;
}

// --- Custody ----------------------------------------------------------------------------------

DocumentContent BuildCustodyContent(const CustodyInput& in, const json& chain) {
  DocumentContent c;
  c.kind = DocumentKind::kCustodyEvent;
  const std::string event = NameOf(kCustodyEventNames, in.event);
  c.title = "Custody event: " + event;
  c.subject = in.device.serial.empty() && in.device.path.empty() ? json{{"id", in.subject}}
                                                                 : ItemJson(in.device);
  c.subject["custody_subject"] = in.subject;
  json items = json::array();
  for (const RecordItem& i : in.items) items.push_back(ItemJson(i));
  c.body = {{"event", event},
            {"by", in.by},
            {"place", in.place},
            {"seal", in.seal},
            {"note", in.note},
            {"at_ms", in.at_ms},
            {"at_utc", certs::UtcIso(in.at_ms)},
            {"items", items}};
  // The chain this event extends, with the event itself appended, decides the gaps.
  std::vector<ChainEvent> events;
  for (const json& e : chain.value("events", json::array())) {
    ChainEvent ce;
    ce.event = e.value("event", "");
    events.push_back(ce);
  }
  ChainEvent self;
  self.event = event;
  events.push_back(self);
  json gaps = CustodyChain(in.subject, events, false)["gaps"];
  c.body["chain_before"] = chain.value("events", json::array());
  c.result = "recorded";
  c.statement = "Custody of " + in.subject + ": " + event + " by " + in.by +
                (in.place.empty() ? "" : " at " + in.place) +
                (in.seal.empty() ? "" : ", seal " + in.seal) + ".";
  for (const json& g : gaps) c.errors.push_back("custody gap: " + g.get<std::string>());
  return c;
}

DocumentContent BuildReceiptContent(const CustodyInput& in, const std::string& event_id) {
  DocumentContent c;
  c.kind = DocumentKind::kReceipt;
  c.title = "Receipt for equipment taken into custody";
  c.subject = {{"id", in.subject}, {"custody_subject", in.subject}};
  if (!in.device.serial.empty()) c.subject["serial"] = in.device.serial;
  std::vector<RecordItem> items = in.items;
  if (items.empty()) {
    RecordItem only = in.device;
    if (only.serial.empty()) only.serial = in.subject;
    items.push_back(only);
  }
  json list = json::array();
  for (const RecordItem& i : items) list.push_back(ItemJson(i));
  c.body = {{"custody_event_id", event_id},
            {"received_by", in.by},
            {"place", in.place},
            {"seal", in.seal},
            {"note", in.note},
            {"received_ms", in.at_ms},
            {"received_utc", certs::UtcIso(in.at_ms)},
            {"items", list}};
  c.result = "issued";
  c.statement = "We have received the " + std::to_string(items.size()) +
                " item(s) listed below into our custody and will keep them under strict control "
                "until the work is complete.";
  return c;
}

json CustodyChain(const std::string& subject, const std::vector<ChainEvent>& events,
                  bool for_work) {
  json list = json::array();
  json gaps = json::array();
  bool closed = false;
  std::string closing;
  for (size_t i = 0; i < events.size(); ++i) {
    const ChainEvent& e = events[i];
    list.push_back({{"id", e.id},
                    {"event", e.event},
                    {"by", e.by},
                    {"place", e.place},
                    {"seal", e.seal},
                    {"note", e.note},
                    {"at_utc", e.time_utc},
                    {"ledger_seq", e.seq}});
    if (i == 0 && e.event != "received") {
      gaps.push_back("the first custody event of " + subject + " is '" + e.event +
                     "', not 'received': how it came into our custody is not recorded");
    }
    if (closed) {
      gaps.push_back("'" + e.event + "' recorded for " + subject + " after it was " + closing);
    }
    if (e.event == "returned" || e.event == "destroyed") {
      closed = true;
      closing = e.event;
    }
  }
  if (for_work && events.empty()) {
    gaps.push_back(subject + " was never recorded as received into custody (kesu custody add " +
                   subject + " --event received)");
  } else if (for_work && closed) {
    gaps.push_back("work on " + subject + " after it was " + closing);
  }
  return {{"subject", subject}, {"events", list}, {"gaps", gaps}};
}

std::vector<std::string> CustodyGaps(const json& chain) {
  std::vector<std::string> out;
  if (!chain.is_object() || !chain.contains("gaps") || !chain["gaps"].is_array()) return out;
  for (const json& g : chain["gaps"]) {
    if (g.is_string()) out.push_back(g.get<std::string>());
  }
  return out;
}

}  // namespace kesu
