// `kesu erase TARGET... --method ID`: parses the options, resolves the method and the
// verification, and runs the erasure job (erase/job.h: gate, confirm, re-gate, erase every
// target at once, certify) with the station's certifier, the terminal's confirmation and
// progress view (cli/erase_station.h); then prints the summary and picks the exit code
// (cli/erase_report.h).
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <optional>

#include "cli/cert_options.h"
#include "cli/cli.h"
#include "cli/erase_report.h"
#include "cli/erase_station.h"
#include "erase/engine.h"
#include "erase/job.h"
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
  CertificateOptions cert;  // --operator, --customer, --cert-dir, --key, ...
};

// The overwrite method named `id`. kInvalidArgument naming the known methods when there is
// none, or saying when a firmware or record method is not available yet.
Result<const Method*> FindOverwriteMethod(const MethodRegistry& reg, const std::string& id) {
  const Method* m = reg.Find(id);
  if (m == nullptr) {
    std::string ids;
    for (const auto& x : reg.all()) ids += (ids.empty() ? "" : ", ") + x.id;
    return Status::InvalidArgument("unknown method '" + id + "'; known methods: " + ids);
  }
  if (m->kind != MethodKind::kOverwrite) {
    const char* kind = MethodKindName(m->kind);
    const char* issue = m->kind == MethodKind::kFirmware ? "firmware erasure arrives with the "
                                                           "firmware issue"
                                                         : "physical methods are recorded with "
                                                           "'kesu record', which arrives with "
                                                           "its issue";
    return Status::InvalidArgument("method " + m->id + " (kind " + kind +
                                   ") is not available yet; " + issue);
  }
  return m;
}

// The final verification: --verify when given, else the method's own.
Result<VerifySpec> VerifyFor(const Method& m, const std::string& text) {
  std::optional<VerifySpec> requested;
  if (!text.empty()) {
    KESU_ASSIGN_OR_RETURN(requested, ParseVerifySpec(text));
  }
  return ResolveVerify(m, requested);
}

int RunErase(Cli& cli, const EraseArgs& args) {
  auto reg = MethodRegistry::Load(cli.env, MethodDirs(cli.methods_dir));
  if (!reg.ok()) return ReportError(reg.status());
  auto method = FindOverwriteMethod(*reg, args.method);
  if (!method.ok()) return ReportError(method.status());
  auto verify = VerifyFor(**method, args.verify);
  if (!verify.ok()) return ReportError(verify.status());

  EraseJobInput in;
  in.targets = args.targets;
  in.method = *method;
  in.engine.verify = *verify;
  in.result_dir = args.result_dir;
  in.arm_stop = [] { return InstallStopHandlers(); };
  TerminalConfirmer confirmer(args.yes);
  StationCertifier certifier(cli.env, cli.config_path, args.cert);
  TerminalProgress progress(cli.env, args.json                 ? ProgressView::Mode::kJson
                                     : ::isatty(STDERR_FILENO) ? ProgressView::Mode::kTty
                                                               : ProgressView::Mode::kLines);
  EraseJobOutcome outcome = RunEraseJob(cli.env, in, &confirmer, &certifier, &progress);

  if (outcome.Erased()) PrintEraseResults(outcome, certifier, args.json);
  EraseVerdict verdict = JudgeEraseJob(outcome);
  for (const std::string& line : verdict.errors) std::fprintf(stderr, "kesu: %s\n", line.c_str());
  return verdict.exit_code;
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
