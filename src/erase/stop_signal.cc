// Stop handlers: see stop_signal.h.
#include "erase/stop_signal.h"

#include <signal.h>
#include <unistd.h>

namespace kesu {
namespace {

std::atomic<bool> g_stop{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void OnStopSignal(int sig) {
  if (g_stop.exchange(true)) {
    ::signal(sig, SIG_DFL);  // second signal: default action
    ::raise(sig);
    return;
  }
  static const char kMsg[] = "\nkesu: stopping: finishing in-flight I/O (press again to kill)\n";
  ssize_t n = ::write(STDERR_FILENO, kMsg, sizeof kMsg - 1);
  (void)n;
}

}  // namespace

std::atomic<bool>* StopFlag() { return &g_stop; }

const std::atomic<bool>* InstallStopHandlers() {
  static bool installed = [] {
    struct sigaction sa {};
    sa.sa_handler = OnStopSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    return true;
  }();
  (void)installed;
  return &g_stop;
}

}  // namespace kesu
