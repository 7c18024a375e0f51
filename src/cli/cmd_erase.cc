// `kesu erase TARGET... --method ID`: checks every target against the safety gate, asks the
// operator to confirm each one, erases all of them at once (one engine per target,
// erase/engine.h), prints a summary, writes a result record per target, and hands the
// results on (HandOffResults: where certificates are issued).
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>
#include <set>
#include <thread>

#include "certs/issue.h"
#include "cli/cli.h"
#include "devices/discovery.h"
#include "devices/safety.h"
#include "erase/engine.h"
#include "erase/progress.h"
#include "erase/result_json.h"
#include "erase/stop_signal.h"
#include "methods/describe.h"
#include "methods/registry.h"

namespace kesu {
namespace {

struct EraseArgs {
  std::vector<std::string> targets;
  std::string method;
  std::string verify;
  bool yes = false;
  bool json = false;
  std::string result_dir;
  CertificateCliOptions cert;  // --operator, --customer, --cert-dir, --key, ...
};

// One target on its way through the command.
struct Target {
  DeviceInfo dev;
  std::unique_ptr<BlockFile> file;
  TargetProgress progress;
  ErasureResult result;
  std::string result_path;  // where its record was written, if anywhere
  std::optional<IssuedCertificate> certificate;
};

// What the operator types to confirm a target: its serial, or its file name for an image,
// or its device name when it reports no serial.
std::string ConfirmToken(const DeviceInfo& d) {
  if (d.transport == Transport::kFile) return d.path.substr(d.path.rfind('/') + 1);
  if (!d.serial.empty()) return d.serial;
  return d.name;
}

std::string Describe(const DeviceInfo& d) {
  std::string s = d.path;
  if (!d.model.empty()) s += " (" + d.model + ")";
  s += ", " + std::to_string(d.size) + " bytes";
  if (!d.serial.empty()) s += ", serial " + d.serial;
  return s;
}

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
    std::printf("  Verified: no — nothing was read back (verification %s, %llu bytes planned)\n",
                v.mode.c_str(), static_cast<unsigned long long>(v.bytes_planned));
    return;
  }
  std::printf(
      "  verification %s: read %llu of %llu planned bytes, %llu mismatched, %zu "
      "unreadable range%s, %s\n",
      v.mode.c_str(), static_cast<unsigned long long>(v.bytes_read),
      static_cast<unsigned long long>(v.bytes_planned),
      static_cast<unsigned long long>(v.mismatched_bytes), v.unreadable.size(),
      v.unreadable.size() == 1 ? "" : "s", Mbps(v.bytes_per_second).c_str());
  if (!v.first_mismatches.empty()) {
    std::string offs;
    for (uint64_t o : v.first_mismatches) offs += (offs.empty() ? "" : ", ") + std::to_string(o);
    std::printf("  first mismatches at offsets: %s\n", offs.c_str());
  }
  if (!v.content_sha256.empty()) {
    std::printf("  content sha256 (%s): %s\n", v.expected.c_str(), v.content_sha256.c_str());
  }
}

void PrintSummary(const Target& t) {
  const ErasureResult& r = t.result;
  std::printf("%s: %s — method %s (%s), %zu pass%s\n", t.dev.path.c_str(), OutcomeName(r.outcome),
              r.method_id.c_str(), r.method_title.c_str(), r.passes.size(),
              r.passes.size() == 1 ? "" : "es");
  for (const auto& p : r.passes) {
    std::printf(
        "  pass %u %-8s %llu bytes written in %lld ms, %s%s\n", p.index, p.pattern.c_str(),
        static_cast<unsigned long long>(p.bytes_written),
        static_cast<long long>(p.end_ms - p.start_ms), Mbps(p.bytes_per_second).c_str(),
        p.verified ? (", verified " + std::to_string(p.bytes_verified) + " bytes").c_str() : "");
    for (const auto& [off, len] : p.skipped) {
      std::printf("    skipped %llu bytes at offset %llu\n", static_cast<unsigned long long>(len),
                  static_cast<unsigned long long>(off));
    }
  }
  PrintVerification(r.verification);
  std::printf("  NIST SP 800-88 category: %s (%s)\n", r.nist_category.c_str(),
              r.nist_reason.c_str());
  for (const auto& e : r.errors) std::printf("  error: %s\n", e.c_str());
  if (!t.result_path.empty()) std::printf("  result: %s\n", t.result_path.c_str());
  if (t.certificate && !t.certificate->error.empty()) {
    std::printf("  certificate NOT issued: %s\n", t.certificate->error.c_str());
  } else if (t.certificate) {
    std::printf("  certificate %s: %s\n", t.certificate->id.c_str(),
                t.certificate->json_path.c_str());
    std::printf("    signature %s\n", t.certificate->p7s_path.c_str());
    if (!t.certificate->pdf_path.empty()) {
      std::printf("    PDF       %s\n", t.certificate->pdf_path.c_str());
    }
    for (const auto& w : t.certificate->warnings) std::printf("    warning: %s\n", w.c_str());
  }
}

// Where results leave the command, once every target has finished (whatever its outcome), in
// the order the targets were named: the optional result records (--result-dir; atomic, 0600;
// `files` gets their names, "" where none was written), then one signed certificate per
// target (always; a failed, partial or interrupted erasure gets one that says so).
Status HandOffResults(Cli& cli, const EraseArgs& args, const CertificateSetup& certs,
                      const certs::Signer& signer, const std::vector<ErasureResult>& results,
                      std::vector<std::string>* files, std::vector<IssuedCertificate>* issued) {
  files->assign(results.size(), "");
  Status first_error;
  if (!args.result_dir.empty()) {
    for (size_t i = 0; i < results.size(); ++i) {
      const ErasureResult& r = results[i];
      std::string name = r.device.name.empty() ? "target" : r.device.name;
      std::string path =
          JoinPath(args.result_dir, name + "-" + std::to_string(r.start_ms) + ".result.json");
      Status s = cli.env->WriteFileAtomic(path, ResultToJson(r).dump(2) + "\n", 0600);
      if (s.ok()) {
        (*files)[i] = path;
      } else if (first_error.ok()) {
        first_error = s;
      }
    }
  }
  Status s = IssueCertificates(cli.env, certs.context, results, certs.options, signer, issued);
  if (!s.ok()) {
    s = s.WithContext("certificates not (all) issued");
    if (first_error.ok()) first_error = s;
  }
  return first_error;
}

int RunErase(Cli& cli, const EraseArgs& args) {
  Env* env = cli.env;
  auto reg = MethodRegistry::Load(env, MethodDirs(cli.methods_dir));
  if (!reg.ok()) return ReportError(reg.status());
  const Method* m = reg->Find(args.method);
  if (m == nullptr) {
    std::string ids;
    for (const auto& x : reg->all()) ids += (ids.empty() ? "" : ", ") + x.id;
    return ReportError(
        Status::InvalidArgument("unknown method '" + args.method + "'; known methods: " + ids));
  }
  if (m->kind != MethodKind::kOverwrite) {
    const char* kind = MethodKindName(m->kind);
    const char* issue = m->kind == MethodKind::kFirmware ? "firmware erasure arrives with the "
                                                           "firmware issue"
                                                         : "physical methods are recorded with "
                                                           "'kesu record', which arrives with "
                                                           "its issue";
    return ReportError(Status::InvalidArgument("method " + m->id + " (kind " + kind +
                                               ") is not available yet; " + issue));
  }
  std::optional<VerifySpec> requested;
  if (!args.verify.empty()) {
    auto v = ParseVerifySpec(args.verify);
    if (!v.ok()) return ReportError(v.status());
    requested = *v;
  }
  auto verify = ResolveVerify(*m, requested);
  if (!verify.ok()) return ReportError(verify.status());

  // Describe every target and pass all of them through the gate before anything is written.
  std::vector<std::unique_ptr<Target>> targets;
  std::set<std::string> seen;
  for (const auto& path : args.targets) {
    auto d = DescribeTarget(env, path);
    if (!d.ok()) return ReportError(d.status());
    if (!seen.insert(d->path).second) {
      return ReportError(Status::InvalidArgument(path + ": named twice; name each target once"));
    }
    auto t = std::make_unique<Target>();
    t->dev = std::move(*d);
    targets.push_back(std::move(t));
  }
  for (auto& t : targets) {
    auto f = OpenForErase(env, t->dev);
    if (!f.ok()) {
      std::fprintf(stderr, "kesu: %s (nothing was written to any target)\n",
                   f.status().message().c_str());
      return f.status().ExitCode();
    }
    t->file = std::move(*f);
  }

  if (!args.result_dir.empty()) {
    Status s = env->CreateDir(args.result_dir, 0700);
    if (!s.ok()) {
      return ReportError(Status::InvalidArgument(
          "--result-dir: " + s.message() + "; give a writable directory (nothing was written)"));
    }
  }
  if (!args.yes && !::isatty(STDIN_FILENO)) {  // before a first-use key is made
    return ReportError(Status::InvalidArgument(
        "confirmation needed: pass --yes (stdin is not a terminal to type the serial on)"));
  }
  // The station key is loaded (and its passphrase asked for) before anything is written, so a
  // missing key or a wrong passphrase stops here with every target untouched.
  auto cert_setup = PrepareCertificates(env, cli.config_path, args.cert, TtyPrompt);
  if (!cert_setup.ok()) return ReportError(cert_setup.status());
  auto signer = LoadStationSigner(env, cert_setup->context, cert_setup->options);
  if (!signer.ok()) {
    return ReportError(
        signer.status().WithContext("cannot sign certificates (nothing was "
                                    "written to any target)"));
  }

  if (!args.yes) {
    for (auto& t : targets) {
      std::string token = ConfirmToken(t->dev);
      std::fprintf(stderr,
                   "kesu: about to erase %s with method %s; all data on it will be lost.\n"
                   "Type '%s' to confirm: ",
                   Describe(t->dev).c_str(), m->id.c_str(), token.c_str());
      std::fflush(stderr);
      std::string typed;
      if (!std::getline(std::cin, typed) || typed != token) {
        std::fprintf(stderr, "kesu: %s: not confirmed; nothing was written to any target\n",
                     t->dev.path.c_str());
        return kExitRefused;
      }
    }
  }
  // The whole gate again, on the open descriptors, right before the first write: the prompt
  // may have waited while something mounted, attached or swapped on a target.
  for (auto& t : targets) {
    Status s = RecheckBeforeWrite(env, t->dev, t->file.get());
    if (!s.ok()) {
      std::fprintf(stderr, "kesu: %s (nothing was written to any target)\n", s.message().c_str());
      return s.ExitCode();
    }
  }

  const std::atomic<bool>* stop = InstallStopHandlers();
  std::vector<TargetProgress*> progress;
  for (auto& t : targets) {
    t->progress.name = t->dev.path;
    progress.push_back(&t->progress);
  }
  ProgressReporter::Mode mode = args.json                 ? ProgressReporter::Mode::kJson
                                : ::isatty(STDERR_FILENO) ? ProgressReporter::Mode::kTty
                                                          : ProgressReporter::Mode::kLines;
  ProgressReporter reporter(env, progress, mode);
  reporter.SetStatusRequest(StatusRequestFlag());
  reporter.Start();
  std::vector<std::thread> threads;
  for (auto& t : targets) {
    threads.emplace_back([&, tp = t.get()] {
      EngineOptions o;
      o.verify = *verify;
      o.stop = stop;
      o.progress = &tp->progress;
      ApplyCachePolicy(tp->dev, &o);
      tp->result = RunErasure(env, tp->file.get(), tp->dev, *m, o);
    });
  }
  for (auto& th : threads) th.join();
  reporter.Stop();
  for (auto& t : targets) t->file.reset();  // close before reporting

  std::vector<ErasureResult> results;
  for (auto& t : targets) results.push_back(t->result);
  std::vector<std::string> files;
  std::vector<IssuedCertificate> issued;
  Status handoff = HandOffResults(cli, args, *cert_setup, *signer, results, &files, &issued);
  for (size_t i = 0; i < targets.size(); ++i) {
    Target& t = *targets[i];
    t.result_path = files[i];
    if (i < issued.size()) t.certificate = issued[i];
    if (args.json) {
      nlohmann::json j = ResultToJson(t.result);
      j["event"] = "result";
      if (!t.result_path.empty()) j["result_file"] = t.result_path;
      if (t.certificate && !t.certificate->error.empty()) {
        j["certificate"] = {{"error", t.certificate->error}};
      } else if (t.certificate) {
        j["certificate"] = {{"outcome", OutcomeName(t.certificate->outcome)},
                            {"id", t.certificate->id},
                            {"json", t.certificate->json_path},
                            {"p7s", t.certificate->p7s_path},
                            {"pdf", t.certificate->pdf_path},
                            {"sha256", t.certificate->json_sha256},
                            {"ledger_seq", t.certificate->ledger_seq}};
      }
      std::printf("%s\n", j.dump().c_str());
    } else {
      PrintSummary(t);
    }
  }
  // A closed or broken stdout (EPIPE: SIGPIPE is ignored) loses only the summary, never a
  // certificate: they are written by now. Say so on stderr.
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
    std::fprintf(stderr,
                 "kesu: standard output: %s; the summary was lost (certificates and "
                 "results are written)\n",
                 std::strerror(errno));
  }
  int code = ExitCodeFor(results);
  if (!handoff.ok()) {
    ReportError(handoff);
    if (code == kExitOk) code = kExitFailed;
  }
  // The certificate has the last word (clause 14-1): a target it does not certify as a
  // success, or that has no certificate at all, fails the command.
  for (size_t i = 0; i < targets.size(); ++i) {
    const Target& t = *targets[i];
    if (t.result.outcome != Outcome::kSuccess) continue;
    if (!t.certificate || !t.certificate->error.empty()) {
      std::fprintf(stderr, "kesu: %s: erased, but NO certificate was issued\n", t.dev.path.c_str());
      code = kExitFailed;
    } else if (t.certificate->outcome != Outcome::kSuccess) {
      std::fprintf(stderr,
                   "kesu: %s: the certificate records %s: the record does not prove success "
                   "(see its errors)\n",
                   t.dev.path.c_str(), OutcomeName(t.certificate->outcome));
      code = kExitFailed;
    }
  }
  return code;
}

}  // namespace

void RegisterEraseCommand(CLI::App& app, Cli& cli) {
  auto args = std::make_shared<EraseArgs>();
  CLI::App* cmd = app.add_subcommand(
      "erase", "Overwrite targets with an erase method, verify them, and record the result");
  cmd->add_option("targets", args->targets,
                  "Block devices (/dev/sdb, /dev/loop3) or image files; all run at once")
      ->required();
  cmd->add_option("--method", args->method, "Erase method id (see 'kesu methods')")->required();
  cmd->add_option("--verify", args->verify,
                  "Final verification: full, sample:PCT, or none (only where the method "
                  "allows it); default: the method's own");
  cmd->add_flag("--yes", args->yes, "Do not ask to type each target's serial (scripts, kiosk)");
  cmd->add_flag("--json", args->json,
                "JSON lines on stdout: progress events, then one result event per target");
  cmd->add_option("--result-dir", args->result_dir,
                  "Write each target's result record (JSON, mode 0600) into this directory");
  AddCertificateOptions(cmd, &args->cert);
  // The method list in --help comes from the same files `kesu methods` reads (the built-in
  // directory; --methods-dir is not parsed yet when help is composed). Loaded only when help
  // is shown.
  cmd->footer([&cli] {
    auto reg = MethodRegistry::Load(cli.env, MethodDirs(""));
    return reg.ok() ? "Methods (kesu methods for details):\n" + MethodListForHelp(*reg) : "";
  });
  cmd->footer(
      "Exit codes: 0 every target erased and verified; 1 any target failed, was interrupted\n"
      "or only partially erased; 2 bad usage; 3 refused for safety (nothing is written to\n"
      "any target if one is refused, not confirmed, or changed identity).\n"
      "Signals: SIGINT, SIGTERM or SIGHUP stop cleanly (every target still gets its\n"
      "certificate, outcome interrupted); SIGUSR1 prints a status line per target on stderr.");
  cmd->callback([&cli, args] { cli.exit_code = RunErase(cli, *args); });
}

}  // namespace kesu
