// Clean stops on SIGINT/SIGTERM: the handlers only set an atomic flag (async-signal-safe);
// the engine and readers poll it, finish or abandon their in-flight I/O, and record the
// target as interrupted. A second signal restores the default action, so pressing Ctrl-C
// twice ends the process at once.
#pragma once

#include <atomic>

namespace kesu {

// Installs the handlers (idempotent) and returns the process-wide flag they set.
const std::atomic<bool>* InstallStopHandlers();

// The flag, for tests and for commands that want to poll it without installing handlers.
std::atomic<bool>* StopFlag();

}  // namespace kesu
