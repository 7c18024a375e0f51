// See certificate.h.
#include "certs/certificate.h"

#include <cctype>
#include <string_view>

#include "base/base64.h"
#include "certs/health_rows.h"
#include "crypto/sha256.h"
#include "erase/result_json.h"

namespace kesu {

using nlohmann::json;

namespace {

json Measured(json v) { return json{{"source", "measured"}, {"value", std::move(v)}}; }
json NotRecorded() { return json{{"source", "not-recorded"}, {"value", nullptr}}; }
json Attested(const std::optional<std::string>& v) {
  if (!v || v->empty()) return NotRecorded();
  return json{{"source", "attested"}, {"value", *v}};
}
json MeasuredOpt(const std::optional<std::string>& v) {
  if (!v || v->empty()) return NotRecorded();
  return Measured(*v);
}
json MeasuredStr(const std::string& v) { return v.empty() ? NotRecorded() : Measured(v); }
json MeasuredJson(const std::optional<json>& v) { return v ? Measured(*v) : NotRecorded(); }
json AttestedJson(const std::optional<json>& v) {
  return v ? json{{"source", "attested"}, {"value", *v}} : NotRecorded();
}
json AttestedList(const std::vector<std::string>& v) {
  return v.empty() ? NotRecorded() : AttestedJson(json(v));
}

std::string Technique(const ErasureResult& r) {
  // A firmware method: the technique of the command the drive ran (devices/firmware.h).
  if (r.firmware && r.firmware->fallback_from.empty() && !r.firmware->technique.empty()) {
    return r.firmware->technique;
  }
  const std::string& id = r.method_id;
  auto has = [&](std::string_view s) { return id.find(s) != std::string::npos; };
  if (has("degauss")) return "degauss";
  if (has("crush") || has("shred") || r.nist_category == "destroy") return "destroy";
  if (has("crypto")) return "crypto-erase";
  if (has("block")) return "block-erase";
  if (!r.passes.empty() || has("overwrite") || has("security-erase")) return "overwrite";
  return "none";
}

std::string VerificationMethod(const std::string& mode) {
  if (mode == "full") return "full";
  if (mode.rfind("sample", 0) == 0) return "sampling";
  return "none";
}

// Reasons a claimed success is not supported by the record (empty: supported).
std::vector<std::string> SuccessDoubts(const ErasureResult& r) {
  std::vector<std::string> d;
  const uint64_t size = r.device.size;
  if (size == 0) d.emplace_back("device size is unknown (0 bytes)");
  // A verified pass reads what the verification mode plans: every byte for full, the sample
  // plan otherwise (earlier verified passes use the final mode, erase/engine.h).
  const uint64_t verify_expected =
      r.verification.mode == "full" ? size : r.verification.bytes_planned;
  for (const auto& p : r.passes) {
    if (p.bytes_written != size) {
      d.push_back("pass " + std::to_string(p.index) + " wrote " + std::to_string(p.bytes_written) +
                  " of " + std::to_string(size) + " bytes");
    }
    if (p.verified && p.bytes_verified != verify_expected) {
      d.push_back("pass " + std::to_string(p.index) + " verified " +
                  std::to_string(p.bytes_verified) + " of " + std::to_string(verify_expected) +
                  " bytes");
    }
    if (!p.errors.empty() || !p.skipped.empty()) {
      d.push_back("pass " + std::to_string(p.index) + " has errors or skipped ranges");
    }
  }
  const auto& v = r.verification;
  if (v.mode != "none" && v.bytes_read < v.bytes_planned) {
    d.push_back("verification read " + std::to_string(v.bytes_read) + " of " +
                std::to_string(v.bytes_planned) + " planned bytes");
  }
  if (v.mode == "full" && v.bytes_planned != size) {
    d.push_back("full verification planned " + std::to_string(v.bytes_planned) + " of " +
                std::to_string(size) + " bytes");
  }
  if (v.mismatched_bytes != 0)
    d.push_back(std::to_string(v.mismatched_bytes) + " bytes mismatched");
  if (!v.unreadable.empty())
    d.push_back(std::to_string(v.unreadable.size()) + " unreadable ranges");
  return d;
}

std::string Title(Outcome o) {
  switch (o) {
    case Outcome::kSuccess:
      return "Certificate of Sanitization: SUCCESS";
    case Outcome::kFailed:
      return "ERASURE FAILED: this medium is NOT sanitized";
    case Outcome::kInterrupted:
      return "ERASURE INTERRUPTED: this medium is NOT sanitized";
    case Outcome::kPartial:
      return "ERASURE PARTIAL: this medium is NOT fully sanitized";
  }
  return "ERASURE FAILED: this medium is NOT sanitized";
}

}  // namespace

json WorkOrderJson(const WorkOrder& o) {
  return json{
      {"path", o.path},
      {"sha256", o.sha256},
      {"ref", o.ref.empty() ? json(nullptr) : json(o.ref)},
      {"customer", o.customer},
      {"agreement", {{"ref", o.agreement.ref}, {"date", DateText(o.agreement.date)}}},
      {"method", o.methods_are_alternatives ? json(o.methods) : json(o.methods.front())},
      {"approval",
       {{"ref", o.approval.ref},
        {"approver", o.approval.approver},
        {"date", DateText(o.approval.date)}}},
      {"operator", o.operator_name},
      {"serials", o.serials},
      {"customer_erased", NameOf(kCustomerErasedNames, o.customer_erased)},
      {"customer_asked",
       {{"date", DateText(o.customer_asked.date)}, {"how", o.customer_asked.how}}},
      {"instruction", NameOf(kInstructionNames, o.instruction)},
      {"destination", o.destination},
      {"due", DateText(o.due)},
  };
}

std::string CustomerErasureText(const WorkOrder& o) {
  const char* said = "";
  switch (o.customer_erased) {
    case CustomerErased::kYes:
      said = "yes: the customer had erased the data";
      break;
    case CustomerErased::kNo:
      said = "no: the customer had not erased the data";
      break;
    case CustomerErased::kUnknown:
      said = "unknown: the customer could not say whether the data was erased";
      break;
  }
  return std::string(said) + " (asked " + DateText(o.customer_asked.date) + ", " +
         o.customer_asked.how + ")";
}

void ApplyWorkOrder(const WorkOrder& o, bool allow_overdue, CertificateContext* ctx) {
  ctx->customer = o.customer;
  ctx->operator_name = o.operator_name;
  if (!o.ref.empty()) ctx->work_order_ref = o.ref;
  ctx->work_order_sha256 = o.sha256;
  ctx->agreement_ref = o.agreement.ref;
  ctx->agreement_date = DateText(o.agreement.date);
  ctx->approval_ref = o.approval.ref;
  ctx->approval_approver = o.approval.approver;
  ctx->approval_date = DateText(o.approval.date);
  ctx->work_order_due = DateText(o.due);
  ctx->allow_overdue = allow_overdue;
  ctx->agreed_methods = o.methods;
  std::string agreed;
  for (const auto& m : o.methods) agreed += (agreed.empty() ? "" : " or ") + m;
  ctx->agreed_method = agreed;
  ctx->customer_erased = NameOf(kCustomerErasedNames, o.customer_erased);
  ctx->customer_asked_date = DateText(o.customer_asked.date);
  ctx->customer_asked_how = o.customer_asked.how;
  ctx->customer_erasure_confirmation = CustomerErasureText(o);
  ctx->instruction = NameOf(kInstructionNames, o.instruction);
  ctx->destination = o.destination;
  ctx->work_order = WorkOrderJson(o);
}

void ReadStationIdentity(Env* env, CertificateContext* ctx) {
  auto read = [&](const char* path) -> std::optional<std::string> {
    std::string s = ReadSysAttr(env, path);
    if (s.empty()) return std::nullopt;
    return s;
  };
  ctx->host = read("/proc/sys/kernel/hostname");
  ctx->dmi_vendor = read("/sys/class/dmi/id/sys_vendor");
  ctx->dmi_model = read("/sys/class/dmi/id/product_name");
  ctx->dmi_serial = read("/sys/class/dmi/id/product_serial");
  // "(none)" is the kernel's nodename until something sets one (include/linux/uts.h
  // UTS_NODENAME), as in an initramfs: it names no machine.
  if (ctx->host == "(none)") ctx->host.reset();
  if (!ctx->host) ctx->host = ctx->station_name ? ctx->station_name : ctx->dmi_serial;
}

json EnvelopeFields(const CertificateContext& ctx) {
  return json{
      {"station",
       {{"host", MeasuredOpt(ctx.host)},
        {"name", Attested(ctx.station_name)},
        {"dmi_vendor", MeasuredOpt(ctx.dmi_vendor)},
        {"dmi_model", MeasuredOpt(ctx.dmi_model)},
        {"dmi_serial", MeasuredOpt(ctx.dmi_serial)},
        {"time_zone",
         ctx.time_zone_configured ? Attested(ctx.time_zone) : MeasuredOpt(ctx.time_zone)}}},
      {"organisation",
       {{"name", Attested(ctx.org_name)},
        {"address", Attested(ctx.org_address)},
        {"contact", Attested(ctx.org_contact)},
        {"logo", ctx.logo_png ? json{{"source", "attested"},
                                     {"value",
                                      {{"png_base64", Base64Encode(*ctx.logo_png)},
                                       {"sha256", Sha256Hex(*ctx.logo_png)}}}}
                              : NotRecorded()}}},
      {"operator",
       {{"name", Attested(ctx.operator_name)},
        {"organisation", Attested(ctx.operator_organisation)},
        {"location", Attested(ctx.operator_location)}}},
      {"customer", {{"name", Attested(ctx.customer)}}},
      {"references",
       {{"work_order", Attested(ctx.work_order_ref)},
        {"work_order_sha256", MeasuredOpt(ctx.work_order_sha256)},
        {"agreement", Attested(ctx.agreement_ref)},
        {"agreement_date", Attested(ctx.agreement_date)},
        {"approval", Attested(ctx.approval_ref)},
        {"approval_approver", Attested(ctx.approval_approver)},
        {"approval_date", Attested(ctx.approval_date)},
        {"due", Attested(ctx.work_order_due)},
        {"allow_overdue", ctx.allow_overdue ? AttestedJson(*ctx.allow_overdue) : NotRecorded()}}},
      {"work_order", AttestedJson(ctx.work_order)},
      {"signer",
       {{"subject", ctx.signer.subject},
        {"issuer", ctx.signer.issuer},
        {"serial", ctx.signer.serial_hex},
        {"sha256_fingerprint", ctx.signer.sha256_fingerprint},
        {"not_before_utc", ctx.signer.not_before_utc},
        {"not_after_utc", ctx.signer.not_after_utc},
        {"self_signed", ctx.signer.self_signed},
        {"trust_anchor_sha256", ctx.trust_anchor_sha256}}}};
}

Result<json> BuildCertificate(const ErasureResult& result, const CertificateContext& ctx) {
  if (ctx.id.empty()) return Status::InvalidArgument("certificate: no id in the context");
  if (ctx.issued_ms <= 0)
    return Status::InvalidArgument("certificate: no issue time in the context");
  const DeviceInfo& d = result.device;

  Outcome outcome = result.outcome;
  std::vector<std::string> errors = result.errors;
  if (outcome == Outcome::kSuccess) {
    auto doubts = SuccessDoubts(result);
    if (!doubts.empty()) {
      outcome = Outcome::kFailed;
      std::string why;
      for (const auto& s : doubts) why += (why.empty() ? "" : "; ") + s;
      errors.push_back(
          "kesu certificate: the engine reported success but the record does not "
          "prove it (" +
          why + "); certified as failed");
    }
  }
  const bool ok = outcome == Outcome::kSuccess;
  const auto& v = result.verification;
  std::string statement;
  if (ok) {
    // "--verify none" read nothing back: the statement says "not verified", never
    // "verified (none)".
    const std::string checked =
        v.mode == "none" ? "not verified (--verify none)" : "verified (" + v.mode + ")";
    statement = "SUCCESS: all " + std::to_string(d.size) + " bytes were erased (" +
                std::to_string(result.passes.size()) +
                (result.passes.size() == 1 ? " pass" : " passes") + ", method " + result.method_id +
                ") and " + checked + "; NIST SP 800-88 category reached: " + result.nist_category +
                ".";
    if (result.firmware && result.firmware->fallback_from.empty()) {
      // The host wrote nothing: say what the drive did and what was read, never more.
      statement =
          "SUCCESS: the drive erased itself with " + result.firmware->command + " (method " +
          result.method_id + "); " +
          (v.mode == "none" ? std::string("nothing was read back (--verify none)")
                            : "a read-back (" + v.mode + ") of " + std::to_string(v.bytes_read) +
                                  " bytes found " + v.found + ", as the command leaves") +
          "; NIST SP 800-88 category reached: " + result.nist_category + ".";
    }
  } else {
    std::string upper = OutcomeName(outcome);
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    statement = upper +
                ": the erasure of this medium did not complete successfully; it must NOT "
                "be treated as sanitized." +
                (errors.empty() ? std::string() : " First error: " + errors.front());
  }

  json passes = json::array();
  for (const auto& p : result.passes) passes.push_back(PassToJson(p));

  std::optional<std::string> property;
  if (auto it = ctx.property_numbers.find(d.serial);
      !d.serial.empty() && it != ctx.property_numbers.end()) {
    property = it->second;
  } else if (auto jt = ctx.property_numbers.find(d.path); jt != ctx.property_numbers.end()) {
    property = jt->second;
  } else if (auto kt = ctx.property_numbers.find("*"); kt != ctx.property_numbers.end()) {
    property = kt->second;  // one property number given for the (single) target
  }

  // With a work order the method run is compared with each agreed alternative; otherwise
  // with the one agreed method given, if any.
  json is_agreed = NotRecorded();
  if (!ctx.agreed_methods.empty()) {
    bool on_order = false;
    for (const auto& m : ctx.agreed_methods) on_order = on_order || m == result.method_id;
    is_agreed = Measured(on_order);
  } else if (ctx.agreed_method && !ctx.agreed_method->empty()) {
    is_agreed = Measured(*ctx.agreed_method == result.method_id);
  }

  const bool known_size = d.size != 0;
  json cert = {
      {"schema_version", kCertificateSchemaVersion},
      {"id", ctx.id},
      {"title", Title(outcome)},
      {"issued_ms", ctx.issued_ms},
      {"issued_utc", certs::UtcIso(ctx.issued_ms)},
      {"outcome",
       {{"result", OutcomeName(outcome)},
        {"sanitized", ok},
        {"statement", statement},
        {"errors", errors}}},
      {"tool", {{"name", "kesu"}, {"version", result.tool_version}, {"build", result.tool_build}}},
      {"media",
       {{"path", MeasuredStr(d.path)},
        {"make", MeasuredStr(d.vendor)},
        {"model", MeasuredStr(d.model)},
        {"serial", MeasuredStr(d.serial)},
        {"wwn", MeasuredStr(d.wwn)},
        {"firmware", MeasuredStr(d.firmware)},
        {"size_bytes", known_size ? Measured(d.size) : NotRecorded()},
        {"logical_sector_bytes", known_size ? Measured(d.logical_sector) : NotRecorded()},
        {"physical_sector_bytes", known_size ? Measured(d.physical_sector) : NotRecorded()},
        {"transport",
         d.transport == Transport::kUnknown ? NotRecorded() : Measured(TransportName(d.transport))},
        {"type", d.media == MediaType::kUnknown ? NotRecorded() : Measured(MediaTypeName(d.media))},
        {"rotational", known_size ? Measured(d.rotational) : NotRecorded()},
        {"removable", known_size ? Measured(d.removable) : NotRecorded()},
        {"property_number", Attested(property)},
        {"source", Attested(ctx.media_source)},
        {"classification", Attested(ctx.media_classification)},
        {"backed_up", Attested(ctx.media_backed_up)}}},
      {"before",
       {{"customer_erasure_confirmation", Attested(ctx.customer_erasure_confirmation)},
        {"customer_erased", Attested(ctx.customer_erased)},
        {"customer_asked_date", Attested(ctx.customer_asked_date)},
        {"customer_asked_how", Attested(ctx.customer_asked_how)},
        {"instruction", Attested(ctx.instruction)},
        {"inspection", MeasuredJson(ctx.inspection)}}},
      {"sanitization",
       // Only a proven success reaches a category; a failed, interrupted or partial erasure
       // reached none, whatever the method would have reached (docs/methods.md).
       {{"category", ok && !result.nist_category.empty() ? result.nist_category : "none"},
        {"category_reason",
         ok || result.nist_category == "none"
             ? result.nist_reason
             : "none reached: the erasure ended " + std::string(OutcomeName(outcome)) +
                   "; had it completed, the method would have reached " +
                   (result.nist_category.empty() ? "none" : result.nist_category)},
        {"technique", Technique(result)},
        {"tool", "kesu " + result.tool_version + " (build " + result.tool_build + ")"},
        {"method_id", result.method_id},
        {"method_title", result.method_title},
        {"method_reference", result.method_reference},
        {"method_sha256", result.method_sha256},
        {"method_rounds", result.method_rounds},
        {"method_blank", result.method_blank},
        {"agreed_method", Attested(ctx.agreed_method)},
        {"agreed_methods", AttestedList(ctx.agreed_methods)},
        {"is_agreed_method", is_agreed},
        {"start_ms", result.start_ms},
        {"end_ms", result.end_ms},
        {"duration_ms", result.end_ms > result.start_ms ? result.end_ms - result.start_ms : 0},
        {"io_engine", result.io_engine},
        {"direct_io", result.direct_io},
        {"passes", passes},
        // The drive commands the erasure sent (or, after a fallback, the one it could not).
        {"firmware_commands", result.firmware ? Measured(FirmwareToJson(*result.firmware))
                                              : MeasuredJson(ctx.firmware_commands)},
        {"hidden_areas", result.hidden_areas ? Measured(HiddenAreasToJson(*result.hidden_areas))
                                             : MeasuredJson(ctx.hidden_areas)},
        // The drive's health before the first write and after the last read, for every
        // method (readings a drive did not give are null, with the reason in notes).
        {"drive_health", Measured(DriveHealthJson(result.health))}}},
      {"verification",
       {{"method", VerificationMethod(v.mode)},
        {"mode", v.mode},
        {"expected", v.expected},
        {"bytes_read", v.bytes_read},
        {"bytes_planned", v.bytes_planned},
        {"mismatched_bytes", v.mismatched_bytes},
        {"first_mismatches", v.first_mismatches},
        {"unreadable", ErrorsToJson(v.unreadable)},
        // A digest describes content that was read; with nothing read there is none.
        {"content_sha256", v.bytes_read == 0 ? std::string() : v.content_sha256},
        {"digest_format", v.bytes_read == 0 ? std::string() : v.digest_format},
        {"digest_region_bytes", v.bytes_read == 0 ? 0 : v.digest_region_bytes},
        {"leaves_sha256", v.bytes_read == 0 ? std::string() : v.leaves_sha256},
        {"bytes_per_second", v.bytes_per_second},
        {"found", v.found}}},
      {"post_sanitization",
       {{"destination", Attested(ctx.destination)},
        {"classification", Attested(ctx.post_classification)}}},
      {"custody", MeasuredJson(ctx.custody)},
      {"return_check", MeasuredJson(ctx.return_check)},
      {"validator",
       {{"name", Attested(ctx.validator_name)},
        {"title", Attested(ctx.validator_title)},
        {"organisation", Attested(ctx.validator_organisation)}}},
  };
  cert.update(EnvelopeFields(ctx));
  return cert;
}

std::string SerializeCertificate(const json& cert) {
  // ensure_ascii=false keeps UTF-8 as is; error_handler strict (throws) cannot trigger on
  // strings we built from std::string... replace invalid UTF-8 instead of throwing.
  return cert.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string SanitizeFileComponent(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    out.push_back(ok ? static_cast<char>(c) : '_');
  }
  while (!out.empty() && out.front() == '.') out.front() = '_';  // no hidden files, no ".."
  if (out.size() > 64) out.resize(64);
  return out.empty() ? "unknown" : out;
}

std::string CertificateFileStem(const json& cert) {
  auto str = [](const json& f) -> std::string {
    return f.is_object() && f.contains("value") && f["value"].is_string()
               ? f["value"].get<std::string>()
               : "";
  };
  std::string station = str(cert["station"]["name"]);
  if (station.empty()) station = str(cert["station"]["host"]);
  if (station.empty()) station = "station";
  std::string serial = str(cert["media"]["serial"]);
  if (serial.empty()) {
    std::string path = str(cert["media"]["path"]);
    serial = path.substr(path.find_last_of('/') + 1);
  }
  // The outcome in capitals, so that a folder listing shows every failure (clause 14-1).
  std::string outcome = cert["outcome"].is_object() && cert["outcome"]["result"].is_string()
                            ? cert["outcome"]["result"].get<std::string>()
                            : "unknown";
  for (char& c : outcome) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const std::string id = cert["id"].get<std::string>();
  return SanitizeFileComponent(station) + "_" +
         certs::UtcCompact(cert["issued_ms"].get<int64_t>()) + "_" + SanitizeFileComponent(serial) +
         "_" + SanitizeFileComponent(outcome) + "_" + id.substr(0, 8);
}

}  // namespace kesu
