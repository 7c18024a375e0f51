// What `kesu erase` reports: see erase_report.h.
#include "cli/erase_report.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>

#include "erase/result_json.h"

namespace kesu {
namespace {

// The line and exit code for a job that stopped before writing.
EraseVerdict StoppedVerdict(const EraseJobOutcome& o) {
  const Status& s = o.status;
  switch (o.stopped_at) {
    case JobStep::kWorkOrder:
    case JobStep::kGate:
    case JobStep::kRecheck:
      return {s.ExitCode(), {s.message() + " (nothing was written to any target)"}};
    case JobStep::kConfirm:
      return {kExitRefused, {s.message() + "; nothing was written to any target"}};
    case JobStep::kResultDir:
      return {
          kExitUsage,
          {"--result-dir: " + s.message() + "; give a writable directory (nothing was written)"}};
    default:
      return {s.ExitCode(), {s.message()}};
  }
}

}  // namespace

EraseVerdict JudgeEraseJob(const EraseJobOutcome& o) {
  if (!o.Erased()) return StoppedVerdict(o);
  EraseVerdict v;
  std::vector<ErasureResult> results;
  for (const TargetOutcome& t : o.targets) {
    if (t.refused.ok()) results.push_back(t.result);
  }
  v.exit_code = ExitCodeFor(results);
  // A target refused after confirmation (nothing written to it): its line, and the refusal's
  // exit code (3) over the others'.
  for (const TargetOutcome& t : o.targets) {
    if (t.refused.ok()) continue;
    v.errors.push_back(t.refused.message());
    v.exit_code = std::max(v.exit_code, t.refused.ExitCode());
  }
  // The first record or certificate that could not be written.
  Status handoff = o.records_error;
  for (const TargetOutcome& t : o.targets) {
    if (!handoff.ok()) break;
    if (!t.refused.ok()) continue;
    if (!t.certification.issued) {
      handoff = t.certification.error.WithContext("certificates not (all) issued");
    }
  }
  if (!handoff.ok()) {
    v.errors.push_back(handoff.message());
    if (v.exit_code == kExitOk) v.exit_code = kExitFailed;
  }
  // The certificate has the last word (clause 14-1): a target it does not certify as a
  // success, or that has no certificate at all, fails the command.
  for (const TargetOutcome& t : o.targets) {
    if (t.result.outcome != Outcome::kSuccess) continue;
    if (!t.certification.issued) {
      v.errors.push_back(t.device.path + ": erased, but NO certificate was issued");
      v.exit_code = kExitFailed;
    } else if (t.certification.recorded != Outcome::kSuccess) {
      v.errors.push_back(t.device.path + ": the certificate records " +
                         OutcomeName(t.certification.recorded) +
                         ": the record does not prove success (see its errors)");
      v.exit_code = kExitFailed;
    }
  }
  return v;
}

namespace {

std::string Mbps(uint64_t bytes_per_second) {
  return std::to_string(bytes_per_second / 1000000) + " MB/s";
}

// The verification lines of the summary. "--verify none" says "not verified", and a
// verification that read nothing says "Verified: no" and shows no content digest.
void PrintVerification(const VerificationRecord& v) {
  if (v.mode == "none") {
    std::printf("  verification: not verified (--verify none)\n");
    return;
  }
  if (v.bytes_read == 0) {
    std::printf("  Verified: no — nothing was read back (verification %s, %s planned)\n",
                v.mode.c_str(), HumanBytes(v.bytes_planned).c_str());
    return;
  }
  std::printf(
      "  verification %s: read %s of %s planned, %llu bytes mismatched, %zu "
      "unreadable range%s, %s\n",
      v.mode.c_str(), HumanBytes(v.bytes_read).c_str(), HumanBytes(v.bytes_planned).c_str(),
      static_cast<unsigned long long>(v.mismatched_bytes), v.unreadable.size(),
      v.unreadable.size() == 1 ? "" : "s", Mbps(v.bytes_per_second).c_str());
  if (!v.first_mismatches.empty()) {
    std::string offs;
    for (uint64_t o : v.first_mismatches) offs += (offs.empty() ? "" : ", ") + std::to_string(o);
    std::printf("  first mismatches at offsets: %s\n", offs.c_str());
  }
  if (!v.content_sha256.empty()) {
    // Worded as `kesu verify` words it, so the two lines can be compared by eye.
    std::printf("  content digest (%s, expected %s): %s\n", v.digest_format.c_str(),
                v.expected.c_str(), v.content_sha256.c_str());
  }
}

// The hidden-area line of the summary: what was found and done, or nothing when not checked.
void PrintHiddenAreas(const ErasureResult& r) {
  if (!r.hidden_areas) return;
  const HiddenAreaRecord& h = *r.hidden_areas;
  if (h.status == "removed") {
    std::printf("  hidden areas: %s%s%s removed, %llu of %llu sectors were accessible before\n",
                h.hpa ? "HPA" : "", h.hpa && h.dco ? " and " : "", h.dco ? "DCO" : "",
                static_cast<unsigned long long>(h.accessible_before),
                static_cast<unsigned long long>(h.native));
  } else if (h.status == "left") {
    std::printf("  hidden areas: %llu sectors NOT erased (%s)\n",
                static_cast<unsigned long long>(h.sectors_not_erased), h.note.c_str());
  } else if (h.status == "none") {
    std::printf("  hidden areas: checked, none found\n");
  } else if (h.status == "unknown") {
    std::printf("  hidden areas: could not be checked (%s)\n", h.note.c_str());
  }
}

void PrintSummary(const TargetOutcome& t, const IssuedCertificate* cert) {
  const ErasureResult& r = t.result;
  if (!t.refused.ok()) {
    std::printf("%s: refused — %s\n", t.device.path.c_str(), t.refused.message().c_str());
    return;
  }
  std::string rounds = r.method_rounds > 1 ? " (" + std::to_string(r.method_rounds) + " rounds" +
                                                 (r.method_blank ? " and a blank pass)" : ")")
                                           : "";
  std::printf("%s: %s — method %s (%s), %zu pass%s%s\n", t.device.path.c_str(),
              OutcomeName(r.outcome), r.method_id.c_str(), r.method_title.c_str(), r.passes.size(),
              r.passes.size() == 1 ? "" : "es", rounds.c_str());
  for (const auto& p : r.passes) {
    std::printf(
        "  pass %u %-8s %s written in %s, %s%s\n", p.index, p.pattern.c_str(),
        HumanBytes(p.bytes_written).c_str(),
        HumanDuration(static_cast<uint64_t>(std::max<int64_t>(0, p.end_ms - p.start_ms)) / 1000)
            .c_str(),
        Mbps(p.bytes_per_second).c_str(),
        p.verified ? (", verified " + HumanBytes(p.bytes_verified)).c_str() : "");
    for (const auto& [off, len] : p.skipped) {
      std::printf("    skipped %s at offset %llu\n", HumanBytes(len).c_str(),
                  static_cast<unsigned long long>(off));
    }
  }
  PrintVerification(r.verification);
  PrintHiddenAreas(r);
  std::printf("  NIST SP 800-88 category: %s (%s)\n", r.nist_category.c_str(),
              r.nist_reason.c_str());
  for (const auto& e : r.errors) std::printf("  error: %s\n", e.c_str());
  if (!t.result_path.empty()) std::printf("  result: %s\n", t.result_path.c_str());
  if (cert != nullptr && !cert->error.empty()) {
    std::printf("  certificate NOT issued: %s\n", cert->error.c_str());
  } else if (cert != nullptr) {
    std::printf("  certificate %s: %s\n", cert->id.c_str(), cert->json_path.c_str());
    std::printf("    signature %s\n", cert->p7s_path.c_str());
    if (!cert->pdf_path.empty()) {
      std::printf("    PDF       %s\n", cert->pdf_path.c_str());
    }
    for (const auto& w : cert->warnings) std::printf("    warning: %s\n", w.c_str());
  }
}

// One "result" event (--json): the result record, its file and the certificate.
nlohmann::json ResultEvent(const TargetOutcome& t, const IssuedCertificate* cert) {
  if (!t.refused.ok()) {
    return {{"event", "refused"}, {"target", t.device.path}, {"error", t.refused.message()}};
  }
  nlohmann::json j = ResultToJson(t.result);
  j["event"] = "result";
  if (!t.result_path.empty()) j["result_file"] = t.result_path;
  if (cert != nullptr && !cert->error.empty()) {
    j["certificate"] = {{"error", cert->error}};
  } else if (cert != nullptr) {
    j["certificate"] = {{"outcome", OutcomeName(cert->outcome)},
                        {"id", cert->id},
                        {"json", cert->json_path},
                        {"p7s", cert->p7s_path},
                        {"pdf", cert->pdf_path},
                        {"sha256", cert->json_sha256},
                        {"ledger_seq", cert->ledger_seq}};
  }
  return j;
}

}  // namespace

EraseTally TallyEraseJob(const EraseJobOutcome& o) {
  EraseTally t;
  t.total = o.targets.size();
  for (const TargetOutcome& x : o.targets) {
    const bool certified = x.certification.issued && x.certification.recorded == Outcome::kSuccess;
    switch (x.result.outcome) {
      case Outcome::kSuccess:
        ++(certified ? t.succeeded : t.failed);
        break;
      case Outcome::kInterrupted:
        ++t.interrupted;
        break;
      case Outcome::kPartial:
        ++t.partial;
        break;
      default:
        ++t.failed;
    }
  }
  return t;
}

uint64_t EraseJobSeconds(const EraseJobOutcome& o) {
  int64_t first = 0, last = 0;
  for (const TargetOutcome& x : o.targets) {
    if (!x.refused.ok()) continue;
    if (first == 0 || x.result.start_ms < first) first = x.result.start_ms;
    last = std::max(last, x.result.end_ms);
  }
  return last > first ? static_cast<uint64_t>(last - first) / 1000 : 0;
}

void PrintEraseResults(const EraseJobOutcome& outcome, const StationCertifier& certifier,
                       bool json) {
  for (size_t i = 0; i < outcome.targets.size(); ++i) {
    const TargetOutcome& t = outcome.targets[i];
    if (json) {
      std::printf("%s\n", ResultEvent(t, certifier.issued(i)).dump().c_str());
    } else {
      PrintSummary(t, certifier.issued(i));
    }
  }
  if (!json) {
    std::printf("Summary: %s\n",
                SummaryLine(TallyEraseJob(outcome), EraseJobSeconds(outcome)).c_str());
  }
  // A closed or broken stdout (EPIPE: SIGPIPE is ignored) loses only the summary, never a
  // certificate: they are written by now. Say so on stderr.
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
    std::fprintf(stderr,
                 "kesu: standard output: %s; the summary was lost (certificates and "
                 "results are written)\n",
                 std::strerror(errno));
  }
}

}  // namespace kesu
