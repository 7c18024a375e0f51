// `kesu fingerprint` and `kesu return-check` (cmd_fingerprint.cc), registered like the commands
// of cli.h.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/cli.h"

namespace kesu {

void RegisterFingerprintCommands(CLI::App& app, Cli& cli);  // kesu fingerprint, return-check

}  // namespace kesu
