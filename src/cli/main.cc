// kesu: secure data erasure and media disposal. Entry point: parses the command line with
// CLI11 and dispatches to the subcommands registered in src/cli/cmd_*.cc.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <exception>

#include "cli/cli.h"
#include "kesu/build_info.h"

int main(int argc, char** argv) {
  kesu::Cli cli;
  cli.env = kesu::DefaultEnv();

  CLI::App app{"kesu — secure data erasure with verification and signed certificates"};
  app.name("kesu");
  app.set_version_flag("--version", std::string("kesu ") + KESU_VERSION + " (" + KESU_GIT_REV +
                                        ", " + KESU_BUILD_TYPE + ")");
  app.require_subcommand(1);
  app.fallthrough();
  app.add_option("--methods-dir", cli.methods_dir,
                 "Extra directory of erase-method files (*.toml), read after the built-in ones");
  app.add_option("--config", cli.config_path, "Configuration file")
      ->default_str("/etc/kesu/kesu.toml");
  app.add_flag("-v,--verbose", cli.verbosity, "More log output on stderr (repeat for debug)");
  app.footer(
      "Exit codes: 0 all targets succeeded; 1 an erasure or verification failed or was\n"
      "interrupted; 2 bad usage or input; 3 refused for safety.\n"
      "Run 'kesu COMMAND --help' for a command's options.");

  kesu::RegisterListCommand(app, cli);
  kesu::RegisterMethodsCommand(app, cli);
  kesu::RegisterEraseCommand(app, cli);
  kesu::RegisterVerifyCommands(app, cli);
  kesu::RegisterKeyCommands(app, cli);
  kesu::RegisterCertCommands(app, cli);
  kesu::RegisterLedgerCommands(app, cli);

  auto logger = spdlog::stderr_color_mt("kesu");
  spdlog::set_default_logger(logger);
  spdlog::set_pattern("kesu: %^%l%$: %v");
  spdlog::set_level(spdlog::level::warn);
  app.parse_complete_callback([&] {
    spdlog::set_level(cli.verbosity >= 2   ? spdlog::level::debug
                      : cli.verbosity == 1 ? spdlog::level::info
                                           : spdlog::level::warn);
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
    std::fprintf(stderr, "kesu: %s (see 'kesu --help')\n", e.what());
    return kesu::kExitUsage;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kesu: internal error: %s\n", e.what());
    return kesu::kExitFailed;
  }
  return cli.exit_code;
}
