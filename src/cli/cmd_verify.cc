// `kesu verify TARGET [--expect zero|one|0xNN] [--against SIDECAR]` and `kesu inspect TARGET
// [--certify]` (the inspection plan, verify/inspection.h; --certify signs it, certs/document.h):
// read-only checks of a target's content (verify/standalone.h, verify/leaf_sidecar.h). Neither
// prints or stores device data: only counts, offsets, classifications and a digest.
#include <cctype>
#include <cstdio>
#include <memory>
#include <optional>

#include "cli/cert_options.h"
#include "cli/cli.h"
#include "cli/document_station.h"
#include "devices/discovery.h"
#include "erase/result_json.h"
#include "erase/stop_signal.h"
#include "verify/leaf_sidecar.h"
#include "verify/region_digest.h"
#include "verify/standalone.h"

namespace kesu {
namespace {

struct VerifyArgs {
  std::string target;
  std::string expect;
  std::string against;
  uint32_t sample = 100;
  uint64_t seed = 0;
  bool json = false;
  bool certify = false;     // kesu inspect --certify
  CertificateOptions cert;  // its signing options, as kesu erase takes them
};

Status CheckSample(uint32_t pct) {
  if (pct < 1 || pct > 100) {
    return Status::InvalidArgument("--sample " + std::to_string(pct) +
                                   ": give a percentage 1..100");
  }
  return Status::Ok();
}

nlohmann::json ErrorsJson(const std::vector<IoErrorRecord>& v) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& e : v) {
    a.push_back({{"operation", e.operation},
                 {"offset", e.offset},
                 {"length", e.length},
                 {"errno", e.sys_errno},
                 {"message", e.message}});
  }
  return a;
}

// The sidecar named by --against, checked to be comparable with a full read.
Result<LeafSidecar> LoadAgainst(Cli& cli, const VerifyArgs& a, uint64_t target_bytes) {
  if (a.sample < 100) {
    return Status::InvalidArgument("--against compares every region: drop --sample");
  }
  auto bytes = cli.env->ReadFileUpTo(a.against, uint64_t{1} << 32);
  if (!bytes.ok()) return bytes.status();
  auto s = DecodeLeafSidecar(*bytes, target_bytes / kDigestRegionBytes + 1);
  if (!s.ok()) {
    return Status::InvalidArgument("--against " + a.against + ": " + s.status().message() +
                                   "; give the .leaves.gz file written beside a result record");
  }
  return s;
}

// Prints the regions that differ from the sidecar; true when none does.
bool ReportChanges(const LeafSidecar& before, const VerificationRecord& v, bool json,
                   nlohmann::json* j) {
  LeafSidecar now{v.digest_target_bytes, v.digest_region_bytes, v.leaves};
  std::vector<Region> changed = ChangedRegions(before, now);
  if (json) {
    nlohmann::json a = nlohmann::json::array();
    for (const Region& r : changed) a.push_back({r.offset, r.end()});
    (*j)["against_content_sha256"] = SidecarRoot(before);
    (*j)["changed_regions"] = a;
    return changed.empty();
  }
  std::printf("  against %s: %s\n", SidecarRoot(before).c_str(),
              changed.empty() ? "no region changed" : "CHANGED");
  if (before.target_bytes != now.target_bytes) {
    std::printf("  target size was %llu bytes, is %llu\n",
                static_cast<unsigned long long>(before.target_bytes),
                static_cast<unsigned long long>(now.target_bytes));
  }
  for (const Region& r : changed) {
    std::printf("  changed: [%llu, %llu)\n", static_cast<unsigned long long>(r.offset),
                static_cast<unsigned long long>(r.end()));
  }
  return changed.empty();
}

int RunVerify(Cli& cli, const VerifyArgs& a) {
  if (Status s = CheckSample(a.sample); !s.ok()) return ReportError(s);
  std::optional<Pattern> expected;
  if (!a.expect.empty()) {
    auto e = ParseExpectedFill(a.expect);
    if (!e.ok()) return ReportError(e.status());
    expected = *e;
  }
  auto dev = DescribeTarget(cli.env, a.target);
  if (!dev.ok()) return ReportError(dev.status());
  std::optional<LeafSidecar> before;
  if (!a.against.empty()) {
    auto s = LoadAgainst(cli, a, dev->size);
    if (!s.ok()) return ReportError(s.status());
    before = std::move(*s);
  }
  ReadOnlyOptions o;
  o.sample_percent = a.sample;
  o.stop = InstallStopHandlers();
  auto v = VerifyTarget(cli.env, *dev, expected, o);
  if (!v.ok()) return ReportError(v.status());
  bool ok = v->mismatched_bytes == 0 && v->unreadable.empty() && v->bytes_read == v->bytes_planned;
  if (a.json) {
    nlohmann::json j{{"event", "verify"},
                     {"device", DeviceToJson(*dev)},
                     {"mode", v->mode},
                     {"expected", v->expected},
                     {"bytes_read", v->bytes_read},
                     {"bytes_planned", v->bytes_planned},
                     {"mismatched_bytes", v->mismatched_bytes},
                     {"first_mismatches", v->first_mismatches},
                     {"unreadable", ErrorsJson(v->unreadable)},
                     {"content_sha256", v->content_sha256},
                     {"digest_format", v->digest_format},
                     {"bytes_per_second", v->bytes_per_second}};
    if (before && !ReportChanges(*before, *v, true, &j)) ok = false;
    j["outcome"] = ok ? "match" : "mismatch";
    std::printf("%s\n", j.dump().c_str());
  } else {
    std::printf(
        "%s: %s — read %llu of %llu planned bytes (%s), expected %s, %llu "
        "mismatched, %zu unreadable range%s, %llu MB/s\n",
        dev->path.c_str(), ok ? "matches" : "DOES NOT MATCH",
        static_cast<unsigned long long>(v->bytes_read),
        static_cast<unsigned long long>(v->bytes_planned), v->mode.c_str(), v->expected.c_str(),
        static_cast<unsigned long long>(v->mismatched_bytes), v->unreadable.size(),
        v->unreadable.size() == 1 ? "" : "s",
        static_cast<unsigned long long>(v->bytes_per_second / 1000000));
    if (!v->first_mismatches.empty()) {
      std::string offs;
      for (uint64_t x : v->first_mismatches) offs += (offs.empty() ? "" : ", ") + std::to_string(x);
      std::printf("  first mismatches at offsets: %s\n", offs.c_str());
    }
    for (const auto& u : v->unreadable) {
      std::printf("  unreadable: %llu bytes at offset %llu: %s\n",
                  static_cast<unsigned long long>(u.length),
                  static_cast<unsigned long long>(u.offset), u.message.c_str());
    }
    std::printf("  content digest (%s): %s\n", v->digest_format.c_str(), v->content_sha256.c_str());
    if (before && !ReportChanges(*before, *v, false, nullptr)) ok = false;
  }
  return ok ? kExitOk : kExitFailed;
}

// The human lines of an inspection report.
void PrintInspection(const DeviceInfo& dev, const InspectReport& r) {
  std::printf("%s: %s\n", dev.path.c_str(), r.verdict.c_str());
  std::printf(
      "  plan %s (seed %llu): read %llu of %llu planned bytes in %llu blocks of %llu bytes: "
      "%llu zero, %llu one (0xFF), %llu other uniform, %llu non-uniform (%llu.%04llu%%)\n",
      r.plan.c_str(), static_cast<unsigned long long>(r.seed),
      static_cast<unsigned long long>(r.bytes_read),
      static_cast<unsigned long long>(r.bytes_planned), static_cast<unsigned long long>(r.blocks),
      static_cast<unsigned long long>(r.block_bytes),
      static_cast<unsigned long long>(r.zero_blocks), static_cast<unsigned long long>(r.one_blocks),
      static_cast<unsigned long long>(r.uniform_other_blocks),
      static_cast<unsigned long long>(r.nonuniform_blocks),
      static_cast<unsigned long long>(r.nonuniform_ppm / 10000),
      static_cast<unsigned long long>(r.nonuniform_ppm % 10000));
  for (const InspectPartCount& p : r.parts) {
    std::printf("  %-10s %5llu regions, %llu bytes, %llu of %llu blocks non-uniform\n",
                p.name.c_str(), static_cast<unsigned long long>(p.regions),
                static_cast<unsigned long long>(p.bytes),
                static_cast<unsigned long long>(p.nonuniform_blocks),
                static_cast<unsigned long long>(p.blocks));
  }
  std::string sigs;
  for (const auto& s : r.signatures) sigs += (sigs.empty() ? "" : ", ") + s;
  for (const auto& s : r.found) {
    sigs += (sigs.empty() ? "" : ", ") + s.type + "@" + std::to_string(s.offset);
  }
  std::printf("  signatures: %s\n", sigs.empty() ? "none found" : sigs.c_str());
}

// The signed inspection document (certs/document.h kInspection).
DocumentContent InspectionDocument(const DeviceInfo& dev, const InspectReport& r) {
  DocumentContent c;
  c.kind = DocumentKind::kInspection;
  c.title = "Pre-erasure inspection";
  c.subject = DeviceSubject(dev);
  c.body = InspectReportToJson(r);
  c.result = r.result;
  c.statement = "kesu inspected " + dev.path + " (" + r.plan + " plan, " +
                std::to_string(r.bytes_read) + " bytes read): " + r.verdict + ".";
  if (r.unreadable_bytes > 0) {
    c.errors.push_back(std::to_string(r.unreadable_bytes) + " bytes could not be read");
  }
  return c;
}

// What the customer said about erasing the data (clauses 3-8 ①, 3-10 ①: `--customer-erased`,
// or the work order's customer-erased, which reads "yes: ..." when they say they erased it),
// set against what the inspection found. When they say they erased it, an inspection that finds
// the medium uniform is the evidence for it; one that finds data contradicts it, and says so in
// the outcome's errors.
void AddCustomerClaim(const std::optional<std::string>& claim, DocumentContent* c) {
  if (!claim || claim->empty()) return;
  std::string lower = *claim;
  for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  const bool says_erased = lower.rfind("yes", 0) == 0 || lower.rfind("erased", 0) == 0;
  const std::string result = c->result;
  nlohmann::json consistent = nullptr;
  if (says_erased && result != "unreadable") consistent = result == "appears-erased";
  c->body["customer_erased_claim"] = {
      {"statement", *claim}, {"says_erased", says_erased}, {"consistent", consistent}};
  if (says_erased && result == "appears-erased") {
    c->statement +=
        " This inspection is the evidence for the customer's statement that the "
        "data was erased.";
  } else if (says_erased && result == "holds-data") {
    c->errors.push_back("the customer states the data was erased (" + *claim +
                        "), but this inspection found data: ask the customer again, or erase it");
  }
}

int RunInspect(Cli& cli, const VerifyArgs& a) {
  if (a.sample > 100)
    return ReportError(Status::InvalidArgument("--sample " + std::to_string(a.sample) +
                                               ": give a percentage 0..100"));
  auto dev = DescribeTarget(cli.env, a.target);
  if (!dev.ok()) return ReportError(dev.status());
  std::optional<DocumentStation> station;
  if (a.certify) {
    station.emplace(cli.env, cli.config_path, a.cert);
    if (Status s = station->Prepare(); !s.ok()) return ReportError(s);
  }
  InspectOptions o;
  o.sample_percent = a.sample;
  o.seed = a.seed;
  o.stop = InstallStopHandlers();
  auto r = InspectTarget(cli.env, *dev, o);
  if (!r.ok()) return ReportError(r.status());
  std::optional<IssuedCertificate> issued;
  if (station) {
    DocumentContent c = InspectionDocument(*dev, *r);
    AddCustomerClaim(station->context().customer_erasure_confirmation, &c);
    auto ic = station->Issue(c, {});
    if (!ic.ok()) return ReportError(ic.status().WithContext("inspection not certified"));
    issued = std::move(*ic);
  }
  if (a.json) {
    nlohmann::json j = InspectReportToJson(*r);
    j["event"] = "inspect";
    j["device"] = DeviceToJson(*dev);
    if (issued) j["document"] = {{"json", issued->json_path}, {"id", issued->id}};
    std::printf("%s\n", j.dump().c_str());
  } else {
    PrintInspection(*dev, *r);
    if (issued) PrintIssued(*issued);
  }
  return r->unreadable_bytes > 0 ? kExitFailed : kExitOk;
}

}  // namespace

void RegisterVerifyCommands(CLI::App& app, Cli& cli) {
  auto va = std::make_shared<VerifyArgs>();
  CLI::App* v = app.add_subcommand("verify", "Check that a target holds a uniform fill");
  v->add_option("target", va->target, "Block device or image file")->required();
  v->add_option("--expect", va->expect,
                "Expected content: zero, one (0xFF) or a byte 0xNN (without: digest only)");
  v->add_option("--against", va->against,
                "A .leaves.gz sidecar of an earlier result: list the regions that changed");
  v->add_option("--sample", va->sample,
                "Read this percentage (1..100), spread over the target "
                "and always the first and last MiB")
      ->default_val(100);
  v->add_flag("--json", va->json, "One JSON object on stdout");
  v->footer(
      "Exit codes: 0 everything read matches; 1 a mismatch, an unreadable range or a region "
      "changed since the --against sidecar; 2 bad usage.");
  v->callback([&cli, va] { cli.exit_code = RunVerify(cli, *va); });

  auto ia = std::make_shared<VerifyArgs>();
  CLI::App* i = app.add_subcommand(
      "inspect", "Is a target already erased? Classifies sampled blocks; never prints data");
  i->add_option("target", ia->target, "Block device or image file")->required();
  i->add_option("--sample", ia->sample,
                "Also read this percentage (1..99) spread over the target; 100 reads every "
                "byte; default 0: the inspection plan alone (docs/verification.md)")
      ->default_val(0);
  i->add_option("--seed", ia->seed,
                "Seed of the plan's random regions (default: drawn; the report records it)");
  i->add_flag("--json", ia->json, "One JSON object on stdout");
  i->add_flag("--certify", ia->certify,
              "Sign the inspection as a document in the certificate directory and the ledger");
  AddCertificateOptions(i, &ia->cert);
  i->footer("Exit codes: 0 inspected (see the verdict); 1 unreadable ranges; 2 bad usage.");
  i->callback([&cli, ia] { cli.exit_code = RunInspect(cli, *ia); });
}

}  // namespace kesu
