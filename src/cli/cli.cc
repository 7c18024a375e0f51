// Helpers shared by the commands: see cli.h.
#include "cli/cli.h"

#include <cstdio>

namespace kesu {

int ReportError(const Status& status) {
  std::fprintf(stderr, "kesu: %s\n", status.message().c_str());
  return status.ExitCode();
}

}  // namespace kesu
