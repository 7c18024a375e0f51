// `kesu station`: the program the kesu USB image boots into, also usable on a running host.
// It finds the data partition labelled KESU-DATA (or takes --data-dir), loads the station's
// configuration, key and work order from it, lists every drive but the boot medium, and
// erases the drives the operator selects on the full-screen menu (cli/station_ui.h) or that
// unattended mode picks (kesu.unattended on the kernel command line, or --unattended); every
// job goes through erase/job.h (cli/station_run.h). Each drive's certificates and the
// computer's disposal report are written to the data partition. Progress and results also go,
// as plain lines, to the log file and the consoles named (--log, --console), and to stdout
// when there is no menu. Powering off is never done here: the station writes --poweroff-file,
// and the boot image's init powers the machine off when it finds it.
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <memory>
#include <mutex>
#include <sstream>

#include "certs/issue.h"
#include "cli/cli.h"
#include "cli/console_text.h"
#include "cli/erase_station.h"
#include "cli/station.h"
#include "cli/station_run.h"
#include "cli/station_ui.h"
#include "devices/discovery.h"
#include "devices/safety.h"
#include "erase/stop_signal.h"
#include "methods/verify_spec.h"

namespace kesu {
namespace {

constexpr const char* kDefaultStationMethod = "nist-800-88-clear";
constexpr uint32_t kDefaultWaitSeconds = 30;
constexpr uint64_t kPlainProgressSeconds = 10;

struct StationArgs {
  std::string data_dir;
  std::string cmdline = "/proc/cmdline";
  std::string unattended, method, log_file, poweroff_file;
  std::vector<std::string> consoles;
  bool poweroff = false;
  int wait_seconds = -1;
};

// Plain lines ("kesu-station: TEXT") to the log file, the consoles and, when `to_stdout`,
// stdout. Thread-safe.
class StationLog {
 public:
  StationLog(Env* env, std::string file, std::vector<std::string> consoles)
      : env_(env), file_(std::move(file)), consoles_(std::move(consoles)) {}
  void set_stdout(bool on) { to_stdout_ = on; }
  // Leaves out the consoles that are the terminal on stdout (the menu is drawn there). When
  // stdout is /dev/console (5:1, as init starts the station), that is the last entry of
  // /sys/class/tty/console/active (Documentation/ABI/testing/sysfs-tty: "The last entry in the
  // file is the active device connected to /dev/console").
  void SkipTerminal() {
    struct stat out {};
    if (::fstat(STDOUT_FILENO, &out) != 0 || !S_ISCHR(out.st_mode)) return;
    std::string active;
    if (major(out.st_rdev) == 5 && minor(out.st_rdev) == 1) {
      std::istringstream in(ReadSysAttr(env_, "/sys/class/tty/console/active"));
      for (std::string w; in >> w;) active = "/dev/" + w;
    }
    std::lock_guard<std::mutex> lock(mu_);
    std::erase_if(consoles_, [&out, &active](const std::string& c) {
      struct stat st {};
      return c == active || (::stat(c.c_str(), &st) == 0 && st.st_rdev == out.st_rdev);
    });
  }
  void Line(const std::string& text, bool prefix = true) {
    std::string line = (prefix ? "kesu-station: " : "") + text + "\n";
    std::lock_guard<std::mutex> lock(mu_);
    if (to_stdout_) {
      std::fputs(line.c_str(), stdout);
      std::fflush(stdout);
    }
    for (const std::string& c : consoles_) {
      if (FILE* f = std::fopen(c.c_str(), "w")) {
        std::fputs(line.c_str(), f);
        std::fclose(f);
      }
    }
    if (!file_.empty()) {
      std::time_t t = std::time(nullptr);
      std::tm tm{};
      gmtime_r(&t, &tm);
      char stamp[16];
      std::strftime(stamp, sizeof stamp, "%H:%M:%S ", &tm);
      (void)env_->AppendFileDurable(file_, stamp + line, 0600);
    }
  }

 private:
  Env* env_;
  std::string file_;
  std::vector<std::string> consoles_;
  bool to_stdout_ = true;
  std::mutex mu_;
};

// The mount point of the one partition labelled KESU-DATA. kNotFound when there is none,
// kInvalidArgument when there are several or it is not mounted.
Result<std::string> FindDataDir(Env* env) {
  KESU_ASSIGN_OR_RETURN(std::vector<DeviceInfo> devs, DiscoverDevices(env));
  std::vector<std::string> found;
  std::vector<std::string> mounts;
  for (const DeviceInfo& d : devs) {
    for (const PartitionInfo& p : d.partitions) {
      if (p.label != kKesuDataLabel) continue;
      found.push_back(p.path);
      if (!p.mountpoints.empty()) mounts.push_back(p.mountpoints.front());
    }
    if (d.label == kKesuDataLabel) {
      found.push_back(d.path);
      if (!d.mountpoints.empty()) mounts.push_back(d.mountpoints.front());
    }
  }
  if (found.empty()) {
    return Status::NotFound(
        "no partition labelled KESU-DATA: plug in the kesu stick, or give --data-dir DIR");
  }
  if (found.size() > 1) {
    return Status::InvalidArgument(
        "more than one partition is labelled KESU-DATA; unplug the "
        "other kesu sticks or give --data-dir DIR");
  }
  if (mounts.empty()) {
    return Status::InvalidArgument("the KESU-DATA partition " + found.front() +
                                   " is not mounted: mount it, or give --data-dir DIR");
  }
  return mounts.front();
}

// The station's parameters: the kernel command line (or --cmdline), then the options.
Result<StationParams> ReadParams(Env* env, const StationArgs& a) {
  auto text = a.cmdline == "/proc/cmdline" ? env->ReadSysFile(a.cmdline) : env->ReadFile(a.cmdline);
  if (!text.ok()) return text.status().WithContext("reading the kernel command line");
  KESU_ASSIGN_OR_RETURN(StationParams p, ParseStationParams(*text));
  if (!a.unattended.empty()) p.unattended = a.unattended;
  if (!a.method.empty()) p.method = a.method;
  if (a.poweroff) p.poweroff = true;
  if (a.wait_seconds >= 0) p.wait_seconds = static_cast<uint32_t>(a.wait_seconds);
  return p;
}

// The signer and certificate context from the files on the data partition.
struct Signing {
  CertificateSetup setup;
  std::optional<certs::Signer> signer;
};
Result<std::unique_ptr<Signing>> LoadSigning(Env* env, const StationFiles& f) {
  CertificateOptions o;
  o.cert_dir = f.cert_dir;
  o.key_path = f.key;
  o.passphrase_file = f.passphrase;
  if (!f.work_order.empty()) {
    std::string name = f.work_order.substr(f.work_order.rfind('/') + 1);
    o.work_order_ref = name.substr(0, name.size() - 5);  // without ".toml"
  }
  auto s = std::make_unique<Signing>();
  KESU_ASSIGN_OR_RETURN(
      s->setup, PrepareCertificates(env, f.config.empty() ? "/dev/null" : f.config, o, TtyPrompt));
  if (s->setup.options.trust_anchor.empty() && !f.ca.empty()) {
    s->setup.options.trust_anchor = f.ca;
    s->setup.trust_anchor = f.ca;
  }
  auto signer = LoadStationSigner(env, s->setup.context, s->setup.options);
  if (!signer.ok()) return signer.status().WithContext("cannot sign certificates");
  s->signer = std::move(*signer);
  return s;
}

// Unattended mode: starts every wanted drive at once, and those that appear later, until
// nothing runs and nothing more is awaited. Returns the exit code.
int RunUnattended(StationRunner* runner, const UnattendedChoice& want, uint32_t wait_s, Env* env,
                  StationLog* log) {
  std::set<std::string> pending(want.serials.begin(), want.serials.end());
  size_t started = 0;
  uint64_t idle_since = env->NowMonotonicNanos(), last_progress = 0;
  for (;;) {
    std::vector<size_t> added = runner->Rescan();
    std::vector<StationRow> rows = runner->Snapshot(200);
    std::vector<size_t> take;
    for (const std::string& s : runner->BootMediumSerials()) pending.erase(s);
    for (size_t i : added) {
      const StationRow& r = rows[i];
      pending.erase(r.device.serial);
      if (!UnattendedWants(want, r.device)) {
        log->Line("leaving " + r.device.path + " alone: " +
                  (want.all ? "not an internal drive (" +
                                  std::string(TransportName(r.device.transport)) + ")"
                            : "serial '" + r.device.serial + "' is not listed"));
      } else if (r.state == StationRow::State::kAvailable) {
        take.push_back(i);
      }
    }
    if (!take.empty()) started += runner->Start(take);
    uint64_t now = env->NowMonotonicNanos();
    if (runner->Busy()) {
      idle_since = now;
      if (now - last_progress >= kPlainProgressSeconds * 1'000'000'000ULL) {
        for (const StationRow& r : runner->Snapshot(200)) {
          if (r.state == StationRow::State::kRunning && !r.line.empty())
            log->Line("progress " + r.line);
        }
        last_progress = now;
      }
    } else if (pending.empty() || now - idle_since >= uint64_t{wait_s} * 1'000'000'000ULL) {
      break;
    } else if (!pending.empty() && take.empty() && (now - idle_since) / 1'000'000'000ULL == 0) {
      log->Line("waiting up to " + std::to_string(wait_s) +
                " s for drives with serials not found yet");
    }
    env->SleepForMillis(1000);
  }
  for (const std::string& s : pending) log->Line("NOT FOUND: no drive has serial '" + s + "'");
  if (started == 0) {
    log->Line("nothing to erase");
    return kExitUsage;
  }
  return 0;
}

// The exit code from the rows: 0 when every erased drive succeeded and was certified.
int ResultCode(const std::vector<StationRow>& rows, int code) {
  for (const StationRow& r : rows) {
    if (r.state == StationRow::State::kDone &&
        (r.outcome != "success" || r.certificate_id.empty())) {
      return code == 0 ? kExitFailed : code;
    }
  }
  return code;
}

std::string MachineTitle(const CertificateContext& c) {
  if (!c.dmi_vendor && !c.dmi_model && !c.dmi_serial) {
    return "kesu station - this machine reports no DMI identity";
  }
  return "kesu station - " + c.dmi_vendor.value_or("?") + " " + c.dmi_model.value_or("?") +
         ", serial " + c.dmi_serial.value_or("?");
}

// Everything the station loads before it shows anything.
struct StationSetup {
  StationParams params;
  std::optional<UnattendedChoice> want;
  std::string data_dir;
  StationFiles files;
  std::optional<MethodRegistry> registry;
  const Method* method = nullptr;
  VerifySpec verify;
  std::unique_ptr<Signing> signing;
};

// Reads the parameters, finds the data directory and its files, the method and the signer.
// Fails with the status to report (exit 2 for bad input, a missing or unusable key, or no
// terminal for the menu).
Result<std::unique_ptr<StationSetup>> SetUpStation(Cli& cli, const StationArgs& args) {
  auto st = std::make_unique<StationSetup>();
  KESU_ASSIGN_OR_RETURN(st->params, ReadParams(cli.env, args));
  if (st->params.unattended) {
    KESU_ASSIGN_OR_RETURN(st->want, ParseUnattended(*st->params.unattended));
  }
  if (!st->want && !(::isatty(STDIN_FILENO) && ::isatty(STDOUT_FILENO))) {
    return Status::InvalidArgument(
        "the station menu needs a terminal: run it on one, or ask for unattended mode "
        "(--unattended all|SERIAL,... or kesu.unattended= on the kernel command line)");
  }
  if (args.data_dir.empty()) {
    KESU_ASSIGN_OR_RETURN(st->data_dir, FindDataDir(cli.env));
  } else {
    st->data_dir = args.data_dir;
  }
  st->files = FindStationFiles(cli.env, st->data_dir);
  KESU_ASSIGN_OR_RETURN(st->registry, LoadMethods(cli));
  std::string id = st->params.method.value_or(kDefaultStationMethod);
  st->method = st->registry->Find(id);
  if (st->method == nullptr || st->method->kind != MethodKind::kOverwrite) {
    return Status::InvalidArgument("station: '" + id +
                                   "' is not an overwrite method (see kesu methods)");
  }
  KESU_ASSIGN_OR_RETURN(st->verify, ResolveVerify(*st->method, std::nullopt));
  KESU_ASSIGN_OR_RETURN(st->signing, LoadSigning(cli.env, st->files));
  return st;
}

// The end of a run: the disposal report, the summary, the result line, the power-off request.
// Returns the exit code.
int FinishStation(Env* env, const StationArgs& args, StationRunner* runner, StationLog* log,
                  int code, bool poweroff) {
  runner->Wait();
  std::vector<StationRow> rows = runner->Snapshot(200);
  code = ResultCode(rows, code);
  auto report = runner->IssueReport();
  log->Line(report.ok() ? "disposal report: " + report->json_path
                        : "DISPOSAL REPORT NOT WRITTEN: " + report.status().message());
  if (!report.ok() && code == 0) code = kExitFailed;
  // Every certificate, the report and the log went through Env's durable writes (fsync of
  // the file and its directory), so they are on the stick before anyone powers off.
  log->Line(StationSummary(rows));
  for (const StationRow& r : rows) {
    if (!r.certificate_file.empty()) log->Line("certificate: " + r.certificate_file);
  }
  log->Line("KESU-STATION-RESULT " + std::to_string(code), false);
  if (!poweroff) return code;
  if (args.poweroff_file.empty()) {
    log->Line("power off: not here (no --poweroff-file; the boot image's init powers off)");
  } else if (Status s = env->WriteFileAtomic(args.poweroff_file, "poweroff\n", 0600); !s.ok()) {
    log->Line("power off not requested: " + s.message());
  } else {
    log->Line("power off requested");
  }
  return code;
}

int RunStation(Cli& cli, const StationArgs& args) {
  Env* env = cli.env;
  StationLog log(env, args.log_file, args.consoles);
  log.set_stdout(false);
  auto setup = SetUpStation(cli, args);
  if (!setup.ok()) {
    // Also on the consoles and in the log, so that a headless boot says why it stopped.
    log.Line("STOPPED: " + setup.status().message());
    log.Line("KESU-STATION-RESULT " + std::to_string(setup.status().ExitCode()), false);
    return ReportError(setup.status());
  }
  StationSetup& st = **setup;
  const CertificateContext& ctx = st.signing->setup.context;
  // Without the menu the lines go to stdout too, unless they go to the consoles already.
  log.set_stdout(st.want.has_value() && args.consoles.empty());
  std::string order = st.files.work_order.substr(st.files.work_order.rfind('/') + 1);
  log.Line(MachineTitle(ctx) + "; data " + st.data_dir + "; method " + st.method->id +
           (order.empty() ? "" : "; work order " + order));

  EraseJobInput job;
  job.method = st.method;
  job.engine.verify = st.verify;
  job.arm_stop = [] { return InstallStopHandlers(); };
  StationRunner runner(env, job, &st.signing->setup, &*st.signing->signer, DiscoveryOptions{},
                       [&log](const std::string& l) { log.Line(l); });
  int code = 0;
  bool poweroff = st.params.poweroff.value_or(false);
  if (st.want) {
    log.Line("unattended erasure of '" + *st.params.unattended + "' with " + st.method->id);
    code = RunUnattended(&runner, *st.want, st.params.wait_seconds.value_or(kDefaultWaitSeconds),
                         env, &log);
  } else {
    log.SkipTerminal();
    runner.Rescan();
    StationScreenInfo info{MachineTitle(ctx), "method " + st.method->id + " | data " + st.data_dir +
                                                  (order.empty() ? "" : " | order " + order)};
    if (RunStationScreen(&runner, info) == StationExit::kPowerOff) poweroff = true;
  }
  return FinishStation(env, args, &runner, &log, code, poweroff);
}

}  // namespace

void RegisterStationCommand(CLI::App& app, Cli& cli) {
  auto args = std::make_shared<StationArgs>();
  CLI::App* cmd = app.add_subcommand(
      "station",
      "The erasure station: a menu of every drive but the boot medium, or unattended "
      "erasure; certificates and the disposal report onto the kesu stick");
  cmd->add_option("--data-dir", args->data_dir,
                  "The station's data directory (config/, keys/, work-orders/, certificates/); "
                  "default: where the partition labelled KESU-DATA is mounted");
  cmd->add_option("--cmdline", args->cmdline,
                  "Read kesu.unattended, kesu.method, kesu.poweroff and kesu.wait from FILE "
                  "(default /proc/cmdline)");
  cmd->add_option("--unattended", args->unattended,
                  "Erase without the menu: 'all' internal drives, or SERIAL,SERIAL");
  cmd->add_option("--method", args->method, "Erase method id (default nist-800-88-clear)");
  cmd->add_option("--wait", args->wait_seconds,
                  "Unattended with serials: seconds to wait for listed drives not found yet "
                  "(default 30)")
      ->check(CLI::Range(0, 86400));
  cmd->add_flag("--poweroff", args->poweroff, "Power off when done (through --poweroff-file)");
  cmd->add_option("--poweroff-file", args->poweroff_file,
                  "Write FILE to ask the boot image's init to power off (kesu never does)");
  cmd->add_option("--log", args->log_file, "Append every progress and result line to FILE");
  cmd->add_option("--console", args->consoles,
                  "Also write the plain lines to this console device (repeatable)");
  cmd->footer(
      "Exit codes: 0 every drive erased, verified and certified; 1 a drive failed or was not\n"
      "certified; 2 bad input or nothing to erase; 3 refused for safety.");
  cmd->callback([&cli, args] { cli.exit_code = RunStation(cli, *args); });
}

}  // namespace kesu
