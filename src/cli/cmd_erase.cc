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
#include "methods/aliases.h"
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
  uint32_t rounds = 1;
  bool blank = false, no_blank = false;
  int progress_interval = ProgressView::kDefaultLinesInterval.count();  // seconds
  std::string result_dir;
  uint32_t unfreeze = 0;    // --unfreeze[=SECONDS]; 0 = not given
  CertificateOptions cert;  // --operator, --customer, --cert-dir, --key, ...
};

// The method `id` names: a method id, else one of nwipe's names (methods/aliases.h), whose
// default blank pass goes to `*alias_blank`. kInvalidArgument with the nearest name ("did you
// mean") and the known ids when there is none.
Result<const Method*> FindMethod(const MethodRegistry& reg, const std::string& id,
                                 std::optional<bool>* alias_blank) {
  if (const Method* m = reg.Find(id)) return m;
  if (const NwipeAlias* a = FindNwipeAlias(id); a != nullptr && reg.Find(a->method_id)) {
    *alias_blank = a->blank;
    return reg.Find(a->method_id);
  }
  std::vector<std::string> names;
  std::string ids;
  for (const auto& x : reg.all()) {
    names.push_back(x.id);
    ids += (ids.empty() ? "" : ", ") + x.id;
  }
  for (const NwipeAlias& a : kNwipeAliases) names.emplace_back(a.name);
  std::string near = NearestName(id, names);
  return Status::InvalidArgument("unknown method '" + id + "'" +
                                 (near.empty() ? "" : " (did you mean '" + near + "'?)") +
                                 "; known methods: " + ids);
}

// The method `args` ask for in `*out`: an overwrite method with --rounds and --blank/--no-blank
// applied, or a firmware method (run through the drive's own command) and, when its file names
// one, its fallback in `*fallback`. kInvalidArgument for an unknown method (FindMethod), for
// --rounds/--blank with a firmware method, and for a record method (kesu record).
Status ResolveMethod(const MethodRegistry& reg, const EraseArgs& args, Method* out,
                     std::optional<Method>* fallback) {
  std::optional<bool> blank;
  KESU_ASSIGN_OR_RETURN(const Method* m, FindMethod(reg, args.method, &blank));
  if (m->kind == MethodKind::kRecord) {
    return Status::InvalidArgument("method " + m->id +
                                   " (kind record) is a physical method kesu cannot perform; "
                                   "record it with 'kesu record " +
                                   m->id +
                                   " --device TARGET ...' after the work (see docs/records.md)");
  }
  if (m->kind == MethodKind::kFirmware) {
    if (args.rounds != 1 || args.blank || args.no_blank) {
      return Status::InvalidArgument("method " + m->id +
                                     " runs the drive's own erase command: --rounds, --blank "
                                     "and --no-blank apply to overwrite methods only");
    }
    *out = *m;
    if (m->firmware && m->firmware->on_unsupported == "fallback") {
      if (const Method* fb = reg.Find(m->firmware->fallback_method)) *fallback = *fb;
    }
    return Status::Ok();
  }
  if (args.blank) blank = true;
  if (args.no_blank) blank = false;
  *out = WithRoundsAndBlank(*m, args.rounds, blank);
  return Status::Ok();
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
  auto reg = LoadMethods(cli);
  if (!reg.ok()) return ReportError(reg.status());
  Method method;
  std::optional<Method> fallback;
  if (Status s = ResolveMethod(*reg, args, &method, &fallback); !s.ok()) return ReportError(s);
  auto verify = VerifyFor(method, args.verify);
  if (!verify.ok()) return ReportError(verify.status());

  // The configuration and the work order are read before anything else: a bad order, or a flag
  // that contradicts it, is bad input (exit 2) whatever the targets are.
  auto setup = PrepareCertificates(cli.env, cli.config_path, args.cert, TtyPrompt);
  if (!setup.ok()) return ReportError(setup.status());

  EraseJobInput in;
  in.targets = args.targets;
  in.method = &method;
  in.fallback = fallback ? &*fallback : nullptr;
  in.engine.verify = *verify;
  in.result_dir = args.result_dir;
  in.arm_stop = [] { return InstallStopHandlers(); };
  in.work_order = setup->work_order ? &*setup->work_order : nullptr;
  in.allow_overdue = setup->allow_overdue;
  if (args.unfreeze > 0) in.unfreeze_seconds = args.unfreeze;
  TerminalConfirmer confirmer(args.yes);
  StationCertifier certifier(cli.env, *setup);
  TerminalProgress progress(cli.env,
                            args.json                 ? ProgressView::Mode::kJson
                            : ::isatty(STDERR_FILENO) ? ProgressView::Mode::kTty
                                                      : ProgressView::Mode::kLines,
                            std::chrono::seconds(args.progress_interval));
  EraseJobOutcome outcome = RunEraseJob(cli.env, in, &confirmer, &certifier, &progress);

  if (outcome.Erased()) PrintEraseResults(outcome, certifier, args.json);
  for (const std::string& gap : certifier.custody_gaps()) {
    std::fprintf(stderr, "kesu: warning: custody gap: %s\n", gap.c_str());
  }
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
  cmd->add_option("--method", args->method,
                  "Erase method id (see 'kesu methods'), or nwipe's name for it: dod, "
                  "dodshort, ops2, gutmann, random, zero")
      ->required();
  cmd->add_option("--rounds", args->rounds,
                  "Run the method's passes N times before the blank pass (nwipe's --rounds)")
      ->check(CLI::Range(1, 100));
  auto* blank = cmd->add_flag("--blank", args->blank,
                              "Finish with a verified zero pass (nwipe's default blanking "
                              "pass); default: the method's own, or nwipe's for its names");
  cmd->add_flag("--no-blank", args->no_blank, "No final zero pass (nwipe's --noblank)")
      ->excludes(blank);
  cmd->add_option("--verify", args->verify,
                  "Final verification: full, sample:PCT, or none (only where the method "
                  "allows it); default: the method's own");
  cmd->add_flag("--yes", args->yes, "Do not ask to type each target's serial (scripts, kiosk)");
  cmd->add_flag("--json", args->json,
                "JSON lines on stdout: progress events, then one result event per target");
  cmd->add_option("--progress-interval", args->progress_interval,
                  "When stderr is not a terminal (a log, a pipe), print a progress line per "
                  "target every SECONDS (default 60)")
      ->check(CLI::Range(1, 86400));
  cmd->add_option("--result-dir", args->result_dir,
                  "Write each target's result record (JSON, mode 0600) into this directory");
  cmd->add_flag("--unfreeze{5}", args->unfreeze,
                "When an ATA drive is frozen (security or sanitize), suspend this machine to "
                "RAM once, after confirmation, for SECONDS (--unfreeze=SECONDS, default 5; "
                "rtcwake), then check the drives again")
      ->check(CLI::Range(1, 600));
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
      "or only partially erased; 2 bad usage (also: a work order that does not parse, or a\n"
      "flag that contradicts it); 3 refused for safety (nothing is written to any target if\n"
      "one is refused, not confirmed, or changed identity, or if the work order refuses: a\n"
      "method not on it, a target not on it, an instruction other than erase, or an order\n"
      "past its due date without --allow-overdue, or a frozen ATA drive without --unfreeze;\n"
      "after confirmation a drive still frozen after --unfreeze, or whose hidden area\n"
      "(HPA/DCO) cannot be removed, is refused alone and the others go on).\n"
      "Signals: SIGINT, SIGTERM or SIGHUP stop cleanly (every target still gets its\n"
      "certificate, outcome interrupted); SIGUSR1 prints a status line per target on stderr.");
  cmd->callback([&cli, args] { cli.exit_code = RunErase(cli, *args); });
}

}  // namespace kesu
