// JSON form of ErasureResult: see result_json.h and docs/result-format.md.
#include "erase/result_json.h"

namespace kesu {

using nlohmann::json;

const char* OutcomeName(Outcome o) { return NameOf(kOutcomeNames, o); }

namespace {

json ErrorToJson(const IoErrorRecord& e) {
  return json{{"operation", e.operation},
              {"offset", e.offset},
              {"length", e.length},
              {"errno", e.sys_errno},
              {"message", e.message}};
}

IoErrorRecord ErrorFromJson(const json& j) {
  IoErrorRecord e;
  e.operation = j.at("operation").get<std::string>();
  e.offset = j.at("offset").get<uint64_t>();
  e.length = j.at("length").get<uint64_t>();
  e.sys_errno = j.at("errno").get<int>();
  e.message = j.at("message").get<std::string>();
  return e;
}

json Errors(const std::vector<IoErrorRecord>& v) {
  json a = json::array();
  for (const auto& e : v) a.push_back(ErrorToJson(e));
  return a;
}

std::vector<IoErrorRecord> ErrorsFrom(const json& a) {
  std::vector<IoErrorRecord> v;
  for (const auto& e : a) v.push_back(ErrorFromJson(e));
  return v;
}

Transport TransportFrom(const std::string& s) { return TransportFromName(s); }

MediaType MediaFrom(const std::string& s) {
  return MediaTypeFromName(s).value_or(MediaType::kUnknown);
}

json HealthToJson(const std::optional<DriveHealth>& h) {
  if (!h) return nullptr;
  auto opt = [](const std::optional<uint64_t>& v) { return v ? json(*v) : json(nullptr); };
  return json{{"power_on_hours", opt(h->power_on_hours)},
              {"reallocated_sectors", opt(h->reallocated_sectors)},
              {"pending_sectors", opt(h->pending_sectors)},
              {"media_errors", opt(h->media_errors)},
              {"data_units_written", opt(h->data_units_written)},
              {"lbas_written", opt(h->lbas_written)},
              {"smart_passed", h->smart_passed ? json(*h->smart_passed) : json(nullptr)}};
}

std::optional<DriveHealth> HealthFromJson(const json& j) {
  if (j.is_null()) return std::nullopt;
  auto opt = [&](const char* k) -> std::optional<uint64_t> {
    if (!j.contains(k) || j.at(k).is_null()) return std::nullopt;
    return j.at(k).get<uint64_t>();
  };
  DriveHealth h;
  h.power_on_hours = opt("power_on_hours");
  h.reallocated_sectors = opt("reallocated_sectors");
  h.pending_sectors = opt("pending_sectors");
  h.media_errors = opt("media_errors");
  h.data_units_written = opt("data_units_written");
  h.lbas_written = opt("lbas_written");
  // Absent from records written before the SMART verdict was recorded.
  if (j.contains("smart_passed") && !j.at("smart_passed").is_null()) {
    h.smart_passed = j.at("smart_passed").get<bool>();
  }
  return h;
}

}  // namespace

json HealthRecordToJson(const HealthRecord& h) {
  return json{{"protocol", h.protocol},
              {"before", HealthToJson(h.before)},
              {"after", HealthToJson(h.after)},
              {"notes", h.notes}};
}

HealthRecord HealthRecordFromJson(const json& j) {
  HealthRecord h;
  h.protocol = j.at("protocol").get<std::string>();
  h.before = HealthFromJson(j.at("before"));
  h.after = HealthFromJson(j.at("after"));
  h.notes = j.at("notes").get<std::vector<std::string>>();
  return h;
}

json FirmwareToJson(const FirmwareRecord& f) {
  json cmds = json::array();
  for (const auto& c : f.commands) {
    cmds.push_back(json{{"name", c.name},
                        {"dwords", c.bytes_hex},
                        {"status", c.status},
                        {"start_ms", c.start_ms},
                        {"end_ms", c.end_ms}});
  }
  return json{{"command", f.command},
              {"protocol", f.protocol},
              {"technique", f.technique},
              {"commands", cmds},
              {"health_before", HealthToJson(f.health_before)},
              {"health_after", HealthToJson(f.health_after)},
              {"notes", f.notes},
              {"fallback_from", f.fallback_from},
              {"unsupported_reason", f.unsupported_reason}};
}

FirmwareRecord FirmwareFromJson(const json& j) {
  FirmwareRecord f;
  f.command = j.at("command").get<std::string>();
  f.protocol = j.at("protocol").get<std::string>();
  f.technique = j.at("technique").get<std::string>();
  for (const auto& c : j.at("commands")) {
    f.commands.push_back({c.at("name").get<std::string>(), c.at("dwords").get<std::string>(),
                          c.at("status").get<std::string>(), c.at("start_ms").get<int64_t>(),
                          c.at("end_ms").get<int64_t>()});
  }
  f.health_before = HealthFromJson(j.at("health_before"));
  f.health_after = HealthFromJson(j.at("health_after"));
  f.notes = j.at("notes").get<std::vector<std::string>>();
  f.fallback_from = j.at("fallback_from").get<std::string>();
  f.unsupported_reason = j.at("unsupported_reason").get<std::string>();
  return f;
}

json HiddenAreasToJson(const HiddenAreaRecord& h) {
  return json{{"status", h.status},
              {"hpa", h.hpa},
              {"dco", h.dco},
              {"sector_bytes", h.sector_bytes},
              {"accessible_sectors_before", h.accessible_before},
              {"native_sectors", h.native},
              {"removed", h.removed},
              {"accessible_sectors_after", h.accessible_after},
              {"sectors_not_erased", h.sectors_not_erased},
              {"note", h.note}};
}

HiddenAreaRecord HiddenAreasFromJson(const json& j) {
  HiddenAreaRecord h;
  h.status = j.at("status").get<std::string>();
  h.hpa = j.at("hpa").get<bool>();
  h.dco = j.at("dco").get<bool>();
  h.sector_bytes = j.at("sector_bytes").get<uint32_t>();
  h.accessible_before = j.at("accessible_sectors_before").get<uint64_t>();
  h.native = j.at("native_sectors").get<uint64_t>();
  h.removed = j.at("removed").get<bool>();
  h.accessible_after = j.at("accessible_sectors_after").get<uint64_t>();
  h.sectors_not_erased = j.at("sectors_not_erased").get<uint64_t>();
  h.note = j.at("note").get<std::string>();
  return h;
}

json DeviceToJson(const DeviceInfo& d) {
  return json{{"path", d.path},
              {"name", d.name},
              {"model", d.model},
              {"vendor", d.vendor},
              {"serial", d.serial},
              {"wwn", d.wwn},
              {"firmware", d.firmware},
              {"size", d.size},
              {"log-sec", d.logical_sector},
              {"phy-sec", d.physical_sector},
              {"tran", TransportName(d.transport)},
              {"media", MediaTypeName(d.media)},
              {"rota", d.rotational},
              {"rm", d.removable},
              {"back-file", d.backing_file.empty() ? json(nullptr) : json(d.backing_file)}};
}

json ErrorsToJson(const std::vector<IoErrorRecord>& errors) { return Errors(errors); }

json PassToJson(const PassRecord& p) {
  json skipped = json::array();
  for (const auto& [off, len] : p.skipped) skipped.push_back({{"offset", off}, {"length", len}});
  return json{{"index", p.index},
              {"pattern", p.pattern},
              {"verified", p.verified},
              {"bytes_written", p.bytes_written},
              {"bytes_verified", p.bytes_verified},
              {"start_ms", p.start_ms},
              {"end_ms", p.end_ms},
              {"bytes_per_second", p.bytes_per_second},
              {"errors", Errors(p.errors)},
              {"notes", Errors(p.notes)},
              {"skipped", skipped}};
}

json ResultToJson(const ErasureResult& r) {
  json passes = json::array();
  for (const auto& p : r.passes) passes.push_back(PassToJson(p));
  const auto& v = r.verification;
  return json{{"tool", {{"name", "kesu"}, {"version", r.tool_version}, {"build", r.tool_build}}},
              {"device", DeviceToJson(r.device)},
              {"io", {{"engine", r.io_engine}, {"direct", r.direct_io}}},
              {"method",
               {{"id", r.method_id},
                {"title", r.method_title},
                {"reference", r.method_reference},
                {"sha256", r.method_sha256},
                {"rounds", r.method_rounds},
                {"blank", r.method_blank},
                {"nist_category", r.nist_category},
                {"nist_reason", r.nist_reason}}},
              {"start_ms", r.start_ms},
              {"end_ms", r.end_ms},
              {"passes", passes},
              {"verification",
               {{"mode", v.mode},
                {"expected", v.expected},
                {"bytes_read", v.bytes_read},
                {"bytes_planned", v.bytes_planned},
                {"mismatched_bytes", v.mismatched_bytes},
                {"first_mismatches", v.first_mismatches},
                {"unreadable", Errors(v.unreadable)},
                {"content_sha256", v.content_sha256},
                {"digest_format", v.digest_format},
                {"digest_region_bytes", v.digest_region_bytes},
                {"leaves_file", v.leaves_file},
                {"leaves_sha256", v.leaves_sha256},
                {"bytes_per_second", v.bytes_per_second},
                {"found", v.found}}},
              {"firmware", r.firmware ? FirmwareToJson(*r.firmware) : json(nullptr)},
              {"health", HealthRecordToJson(r.health)},
              {"hidden_areas", r.hidden_areas ? HiddenAreasToJson(*r.hidden_areas) : json(nullptr)},
              {"outcome", OutcomeName(r.outcome)},
              {"errors", r.errors}};
}

Result<ErasureResult> ResultFromJson(const json& j) {
  try {
    ErasureResult r;
    r.tool_version = j.at("tool").at("version").get<std::string>();
    r.tool_build = j.at("tool").at("build").get<std::string>();
    const json& d = j.at("device");
    r.device.path = d.at("path").get<std::string>();
    r.device.name = d.at("name").get<std::string>();
    r.device.model = d.at("model").get<std::string>();
    r.device.vendor = d.at("vendor").get<std::string>();
    r.device.serial = d.at("serial").get<std::string>();
    r.device.wwn = d.at("wwn").get<std::string>();
    r.device.firmware = d.at("firmware").get<std::string>();
    r.device.size = d.at("size").get<uint64_t>();
    r.device.logical_sector = d.at("log-sec").get<uint32_t>();
    r.device.physical_sector = d.at("phy-sec").get<uint32_t>();
    r.device.transport = TransportFrom(d.at("tran").get<std::string>());
    r.device.media = MediaFrom(d.at("media").get<std::string>());
    r.device.rotational = d.at("rota").get<bool>();
    r.device.removable = d.at("rm").get<bool>();
    if (!d.at("back-file").is_null()) r.device.backing_file = d["back-file"].get<std::string>();
    r.io_engine = j.at("io").at("engine").get<std::string>();
    r.direct_io = j.at("io").at("direct").get<bool>();
    const json& m = j.at("method");
    r.method_id = m.at("id").get<std::string>();
    r.method_title = m.at("title").get<std::string>();
    r.method_reference = m.at("reference").get<std::string>();
    r.method_sha256 = m.at("sha256").get<std::string>();
    r.method_rounds = m.value("rounds", 1u);  // absent from records written before --rounds
    r.method_blank = m.value("blank", false);
    r.nist_category = m.at("nist_category").get<std::string>();
    r.nist_reason = m.at("nist_reason").get<std::string>();
    r.start_ms = j.at("start_ms").get<int64_t>();
    r.end_ms = j.at("end_ms").get<int64_t>();
    for (const auto& p : j.at("passes")) {
      PassRecord pr;
      pr.index = p.at("index").get<uint32_t>();
      pr.pattern = p.at("pattern").get<std::string>();
      pr.verified = p.at("verified").get<bool>();
      pr.bytes_written = p.at("bytes_written").get<uint64_t>();
      pr.bytes_verified = p.at("bytes_verified").get<uint64_t>();
      pr.start_ms = p.at("start_ms").get<int64_t>();
      pr.end_ms = p.at("end_ms").get<int64_t>();
      pr.bytes_per_second = p.at("bytes_per_second").get<uint64_t>();
      pr.errors = ErrorsFrom(p.at("errors"));
      if (p.contains("notes")) pr.notes = ErrorsFrom(p.at("notes"));  // older records lack it
      for (const auto& s : p.at("skipped")) {
        pr.skipped.emplace_back(s.at("offset").get<uint64_t>(), s.at("length").get<uint64_t>());
      }
      r.passes.push_back(std::move(pr));
    }
    const json& v = j.at("verification");
    r.verification.mode = v.at("mode").get<std::string>();
    r.verification.expected = v.at("expected").get<std::string>();
    r.verification.bytes_read = v.at("bytes_read").get<uint64_t>();
    r.verification.bytes_planned = v.at("bytes_planned").get<uint64_t>();
    r.verification.mismatched_bytes = v.at("mismatched_bytes").get<uint64_t>();
    r.verification.first_mismatches = v.at("first_mismatches").get<std::vector<uint64_t>>();
    r.verification.unreadable = ErrorsFrom(v.at("unreadable"));
    r.verification.content_sha256 = v.at("content_sha256").get<std::string>();
    // Absent from records written before the region digest: a plain SHA-256 then.
    r.verification.digest_format = v.value("digest_format", std::string());
    r.verification.digest_region_bytes = v.value("digest_region_bytes", uint64_t{0});
    r.verification.leaves_file = v.value("leaves_file", std::string());
    r.verification.leaves_sha256 = v.value("leaves_sha256", std::string());
    r.verification.bytes_per_second = v.at("bytes_per_second").get<uint64_t>();
    r.verification.found = v.value("found", std::string());  // absent before firmware methods
    if (j.contains("firmware") && !j.at("firmware").is_null()) {
      r.firmware = FirmwareFromJson(j.at("firmware"));
    }
    if (j.contains("health")) {
      r.health = HealthRecordFromJson(j.at("health"));
    } else if (r.firmware) {  // records written before every method read health
      r.health.protocol = r.firmware->protocol;
      r.health.before = r.firmware->health_before;
      r.health.after = r.firmware->health_after;
    }
    if (j.contains("hidden_areas") && !j.at("hidden_areas").is_null()) {  // absent before
      r.hidden_areas = HiddenAreasFromJson(j.at("hidden_areas"));
    }
    // An outcome kesu does not know is read as a failure: never as a success.
    r.outcome = Parse(kOutcomeNames, j.at("outcome").get<std::string>()).value_or(Outcome::kFailed);
    r.errors = j.at("errors").get<std::vector<std::string>>();
    return r;
  } catch (const json::exception& e) {
    return Status::InvalidArgument(std::string("erasure result: ") + e.what());
  }
}

}  // namespace kesu
