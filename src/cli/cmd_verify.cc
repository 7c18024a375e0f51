// `kesu verify TARGET [--expect zero|one|0xNN] [--against SIDECAR]` and `kesu inspect TARGET`:
// read-only checks of a target's content (verify/standalone.h, verify/leaf_sidecar.h). Neither
// prints or stores device data: only counts, offsets, classifications and a digest.
#include <cstdio>
#include <memory>

#include "cli/cli.h"
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
  bool json = false;
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

int RunInspect(Cli& cli, const VerifyArgs& a) {
  if (Status s = CheckSample(a.sample); !s.ok()) return ReportError(s);
  auto dev = DescribeTarget(cli.env, a.target);
  if (!dev.ok()) return ReportError(dev.status());
  ReadOnlyOptions o;
  o.sample_percent = a.sample;
  o.stop = InstallStopHandlers();
  auto r = InspectTarget(cli.env, *dev, o);
  if (!r.ok()) return ReportError(r.status());
  if (a.json) {
    nlohmann::json j{{"event", "inspect"},
                     {"device", DeviceToJson(*dev)},
                     {"mode", a.sample >= 100 ? "full" : "sample:" + std::to_string(a.sample)},
                     {"block_bytes", r->block_bytes},
                     {"bytes_planned", r->bytes_planned},
                     {"bytes_read", r->bytes_read},
                     {"blocks", r->blocks},
                     {"zero_blocks", r->zero_blocks},
                     {"one_blocks", r->one_blocks},
                     {"uniform_other_blocks", r->uniform_other_blocks},
                     {"nonuniform_blocks", r->nonuniform_blocks},
                     {"nonuniform_ppm", r->nonuniform_ppm},
                     {"first_nonuniform", r->first_nonuniform},
                     {"unreadable_bytes", r->unreadable_bytes},
                     {"signatures", r->signatures},
                     {"appears_erased", r->appears_erased},
                     {"verdict", r->verdict}};
    std::printf("%s\n", j.dump().c_str());
  } else {
    std::printf("%s: %s\n", dev->path.c_str(), r->verdict.c_str());
    std::printf(
        "  read %llu of %llu planned bytes in %llu blocks of %llu bytes: %llu zero, "
        "%llu one (0xFF), %llu other uniform, %llu non-uniform (%llu.%04llu%%)\n",
        static_cast<unsigned long long>(r->bytes_read),
        static_cast<unsigned long long>(r->bytes_planned),
        static_cast<unsigned long long>(r->blocks), static_cast<unsigned long long>(r->block_bytes),
        static_cast<unsigned long long>(r->zero_blocks),
        static_cast<unsigned long long>(r->one_blocks),
        static_cast<unsigned long long>(r->uniform_other_blocks),
        static_cast<unsigned long long>(r->nonuniform_blocks),
        static_cast<unsigned long long>(r->nonuniform_ppm / 10000),
        static_cast<unsigned long long>(r->nonuniform_ppm % 10000));
    std::string sigs;
    for (const auto& s : r->signatures) sigs += (sigs.empty() ? "" : ", ") + s;
    std::printf("  signatures: %s\n", sigs.empty() ? "none found" : sigs.c_str());
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
                "Read this percentage (1..100); always the first and last MiB")
      ->default_val(1);
  i->add_flag("--json", ia->json, "One JSON object on stdout");
  i->footer("Exit codes: 0 inspected (see the verdict); 1 unreadable ranges; 2 bad usage.");
  i->callback([&cli, ia] { cli.exit_code = RunInspect(cli, *ia); });
}

}  // namespace kesu
