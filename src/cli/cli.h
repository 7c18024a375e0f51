// The command-line layer: each `kesu` subcommand lives in its own cmd_*.cc and registers
// itself with CLI11 through one Register* function below. Exceptions stop here: commands call
// the core (which returns Status values) and turn the outcome into output and an exit code.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "base/status.h"
#include "env/env.h"
#include "methods/registry.h"

namespace kesu {

// State shared by every command of one invocation.
struct Cli {
  Env* env = nullptr;
  std::string methods_dir;       // extra directory of method files (--methods-dir)
  std::string methods_dir_only;  // replaces the built-in directory (--methods-dir-only)
  std::string config_path;       // --config (default /etc/kesu/kesu.toml)
  int verbosity = 0;             // -v count
  int exit_code = 0;             // set by the command that ran
};

// The method registry for this invocation: the built-in directory (or --methods-dir-only)
// and --methods-dir (methods/registry.h MethodDirSet). Prints one "kesu: warning: ..." line
// on stderr per extra method file left out; fails as MethodRegistry::Load.
Result<MethodRegistry> LoadMethods(const Cli& cli);

// Prints "kesu: <message>" on stderr and returns status.ExitCode().
int ReportError(const Status& status);

// The candidate nearest to `word` by edit distance (Levenshtein), when it is close enough to be
// a typo (at most 2 edits, and fewer than half of `word`'s letters); "" otherwise.
std::string NearestName(const std::string& word, const std::vector<std::string>& candidates);

// After CLI11 failed to parse: " (did you mean 'X'?)" for the first unexpected argument that
// is close to a subcommand or option of the deepest subcommand parsed (options of its parents
// count too: they fall through), or "" when there is nothing close.
std::string DidYouMean(const CLI::App& app);

// The columns to fit output into on `fd`: the terminal's width (TIOCGWINSZ, tty_ioctl(4))
// when `fd` is a terminal wider than 80 columns, else 80 — the console of a boot medium or a
// serial line, and what a pipe or log file gets.
size_t ConsoleWidth(int fd);

// Asks for a secret on the controlling terminal without echo (twice when `confirm`).
// kInvalidArgument when there is no terminal or the two entries differ.
Result<std::string> TtyPrompt(const std::string& prompt, bool confirm);

void RegisterListCommand(CLI::App& app, Cli& cli);     // kesu list
void RegisterMethodsCommand(CLI::App& app, Cli& cli);  // kesu methods
void RegisterEraseCommand(CLI::App& app, Cli& cli);    // kesu erase
void RegisterVerifyCommands(CLI::App& app, Cli& cli);  // kesu verify, kesu inspect
void RegisterKeyCommands(CLI::App& app, Cli& cli);     // kesu key init|install
void RegisterCertCommands(CLI::App& app, Cli& cli);    // kesu cert verify|show|pdf
void RegisterLedgerCommands(CLI::App& app, Cli& cli);  // kesu ledger verify|tsq
void RegisterConfigCommands(CLI::App& app, Cli& cli);  // kesu config init

// kesu work-order check (src/cli/cmd_work_order.cc).
void RegisterWorkOrderCommands(CLI::App& app, Cli& cli);
void RegisterStationCommand(CLI::App& app, Cli& cli);  // kesu station

// kesu cert page (src/cli/cmd_cert_page.cc); call after RegisterCertCommands.
void RegisterCertPageCommand(CLI::App& app, Cli& cli);
// kesu cert list|bundle (src/cli/cmd_cert_office.cc); call after RegisterCertCommands.
void RegisterCertOfficeCommands(CLI::App& app, Cli& cli);
void RegisterRecordCommand(CLI::App& app, Cli& cli);   // kesu record (src/cli/cmd_record.cc)
void RegisterCustodyCommand(CLI::App& app, Cli& cli);  // kesu custody add|show

}  // namespace kesu
