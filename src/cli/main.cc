// kesu: secure data erasure and media disposal. Entry point: parses the command line with
// CLI11 and dispatches to the subcommands registered in src/cli/cmd_*.cc.
#include <fcntl.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <stdexcept>

#include "cli/cli.h"
#include "cli/cmd_fingerprint.h"
#include "config/config.h"
#include "erase/stop_signal.h"
#include "kesu/build_info.h"

namespace {

// A bad --config, found before any command runs.
struct ConfigError : std::runtime_error {
  kesu::Status status;
  explicit ConfigError(kesu::Status s) : std::runtime_error(s.message()), status(std::move(s)) {}
};

// Descriptors 0-2 that were closed at exec (`kesu erase ... >&-`) are opened on /dev/null, so
// that no file kesu opens later (a target, a certificate, the ledger) becomes "stdout" and
// receives the summary. Returns whether stdout had been closed.
bool ReopenClosedStdFds() {
  bool stdout_closed = false;
  for (int fd = 0; fd <= 2; ++fd) {
    if (::fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
    if (fd == STDOUT_FILENO) stdout_closed = true;
    int n = ::open("/dev/null", fd == STDIN_FILENO ? O_RDONLY : O_WRONLY);  // lowest free: fd
    if (n >= 0 && n != fd) ::close(n);
  }
  return stdout_closed;
}

}  // namespace

int main(int argc, char** argv) {
  const bool stdout_closed = ReopenClosedStdFds();
  kesu::IgnoreBrokenPipe();  // a closed pipe on stdout must not kill an erasure
  kesu::Cli cli;
  // KESU_NO_URING (any value) makes every target's I/O synchronous (pread/pwrite) instead of
  // io_uring: for comparisons in benchmarks, and for systems whose io_uring misbehaves.
  const std::unique_ptr<kesu::Env> env = kesu::NewPosixEnv(
      "", {.io_backend = std::getenv("KESU_NO_URING") != nullptr ? kesu::IoBackend::kSync
                                                                 : kesu::IoBackend::kUring});
  cli.env = env.get();

  CLI::App app{"kesu — secure data erasure with verification and signed certificates"};
  app.name("kesu");
  app.set_version_flag("--version", std::string("kesu ") + KESU_VERSION + " (" + KESU_GIT_REV +
                                        ", " + KESU_BUILD_TYPE + ")");
  app.require_subcommand(1);
  app.fallthrough();
  app.add_option("--methods-dir", cli.methods_dir,
                 "Extra directory of erase-method files (*.toml), read after the built-in ones; "
                 "a bad file there leaves out only its own method, with a warning");
  app.add_option("--methods-dir-only", cli.methods_dir_only,
                 "Directory of erase-method files (*.toml) used instead of the built-in ones");
  app.add_option("--config", cli.config_path, "Configuration file")
      ->default_str("/etc/kesu/kesu.toml");
  app.add_flag("-v,--verbose", cli.verbosity, "More log output on stderr (repeat for debug)");
  app.footer(
      "Exit codes: 0 all targets succeeded; 1 an erasure or verification failed or was\n"
      "interrupted; 2 bad usage or input; 3 refused for safety, or by the work order\n"
      "(kesu erase --work-order FILE; check one with 'kesu work-order check FILE').\n"
      "Run 'kesu COMMAND --help' for a command's options.");

  kesu::RegisterListCommand(app, cli);
  kesu::RegisterMethodsCommand(app, cli);
  kesu::RegisterEraseCommand(app, cli);
  kesu::RegisterVerifyCommands(app, cli);
  kesu::RegisterFingerprintCommands(app, cli);
  kesu::RegisterKeyCommands(app, cli);
  kesu::RegisterCertCommands(app, cli);
  kesu::RegisterCertPageCommand(app, cli);
  kesu::RegisterCertOfficeCommands(app, cli);
  kesu::RegisterRecordCommand(app, cli);
  kesu::RegisterCustodyCommand(app, cli);
  kesu::RegisterLedgerCommands(app, cli);
  kesu::RegisterWorkOrderCommands(app, cli);
  kesu::RegisterConfigCommands(app, cli);
  kesu::RegisterStationCommand(app, cli);

  auto logger = spdlog::stderr_color_mt("kesu");
  spdlog::set_default_logger(logger);
  spdlog::set_pattern("kesu: %^%l%$: %v");
  spdlog::set_level(spdlog::level::warn);
  if (stdout_closed) {
    spdlog::warn(
        "standard output is closed; its output is discarded (certificates and "
        "results are still written)");
  }
  app.parse_complete_callback([&] {
    spdlog::set_level(cli.verbosity >= 2   ? spdlog::level::debug
                      : cli.verbosity == 1 ? spdlog::level::info
                                           : spdlog::level::warn);
    // Every command reads and checks the configuration before it does anything, except the
    // one that writes it (a broken file is what `kesu config init --force` replaces).
    if (app.got_subcommand("config")) return;
    auto cfg = kesu::LoadConfig(cli.env, cli.config_path);
    if (!cfg.ok()) throw ConfigError(cfg.status());
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // One clear line, naming the problem and where to look for the fix.
    std::fprintf(stderr, "kesu: %s%s (see 'kesu --help')\n", e.what(),
                 kesu::DidYouMean(app).c_str());
    return kesu::kExitUsage;
  } catch (const ConfigError& e) {
    return kesu::ReportError(e.status.WithContext("configuration"));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kesu: internal error: %s\n", e.what());
    return kesu::kExitFailed;
  }
  return cli.exit_code;
}
