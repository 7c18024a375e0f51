// Stop handlers: see stop_signal.h.
#include "erase/stop_signal.h"

#include <signal.h>
#include <unistd.h>

namespace kesu {
namespace {

std::atomic<bool> g_stop{false};
std::atomic<bool> g_status{false};
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

extern "C" void OnStatusSignal(int) { g_status.store(true); }

void Install(int sig, void (*handler)(int)) {
  struct sigaction sa {};
  sa.sa_handler = handler;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(sig, &sa, nullptr);
}

}  // namespace

std::atomic<bool>* StopFlag() { return &g_stop; }
std::atomic<bool>* StatusRequestFlag() { return &g_status; }

const std::atomic<bool>* InstallStopHandlers() {
  static bool installed = [] {
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) Install(sig, OnStopSignal);
    Install(SIGUSR1, OnStatusSignal);
    return true;
  }();
  (void)installed;
  return &g_stop;
}

void IgnoreBrokenPipe() { ::signal(SIGPIPE, SIG_IGN); }

}  // namespace kesu
