// Placeholder until its issue lands: registers nothing.
#include "cli/cli.h"

namespace kesu {
void RegisterKeyCommands(CLI::App&, Cli&) {}
void RegisterCertCommands(CLI::App&, Cli&) {}
void RegisterLedgerCommands(CLI::App&, Cli&) {}
}  // namespace kesu
