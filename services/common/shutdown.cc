#include "services/common/shutdown.h"

#include <signal.h>
#include <time.h>

#include <cerrno>

namespace teepnet::common {

namespace {
sigset_t ShutdownSet() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}
}  // namespace

ShutdownSignals::ShutdownSignals() {
  sigset_t set = ShutdownSet();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

bool ShutdownSignals::Wait(int timeout_ms) {
  if (received_ != 0) return true;
  sigset_t set = ShutdownSet();
  timespec timeout{timeout_ms / 1000, static_cast<long>(timeout_ms % 1000) * 1000000L};
  for (;;) {
    int sig = sigtimedwait(&set, nullptr, &timeout);
    if (sig > 0) {
      received_ = sig;
      return true;
    }
    if (errno == EINTR) continue;  // another signal; the remaining time is approximate
    return false;                  // EAGAIN: timed out
  }
}

}  // namespace teepnet::common
