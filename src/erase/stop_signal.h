// Process signals during an erasure. SIGINT, SIGTERM and SIGHUP (a closed terminal or SSH
// session) stop it cleanly: the handlers only set an atomic flag (async-signal-safe); the
// engine and readers poll it, finish or abandon their in-flight I/O, and record the target as
// interrupted, so every target still gets its result and certificate. A second stop signal
// restores the default action, so pressing Ctrl-C twice ends the process at once. SIGUSR1
// asks for a status line per target on stderr (as nwipe does): its handler sets another flag
// that the progress reporter polls. SIGPIPE is ignored for the whole process, so a closed
// stdout turns into EPIPE write errors instead of killing an erasure.
#pragma once

#include <atomic>

namespace kesu {

// Installs the stop and SIGUSR1 handlers (idempotent) and returns the process-wide stop flag.
const std::atomic<bool>* InstallStopHandlers();

// The flag, for tests and for commands that want to poll it without installing handlers.
std::atomic<bool>* StopFlag();

// Set by SIGUSR1; the progress reporter clears it when it has printed the status lines.
std::atomic<bool>* StatusRequestFlag();

// Sets SIGPIPE to SIG_IGN (signal(7)): writes to a closed pipe fail with EPIPE instead.
// Called once at start-up, before any thread exists.
void IgnoreBrokenPipe();

}  // namespace kesu
