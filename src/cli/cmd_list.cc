// Placeholder until its issue lands: registers nothing.
#include "cli/cli.h"

namespace kesu {
void RegisterListCommand(CLI::App&, Cli&) {}
}  // namespace kesu
