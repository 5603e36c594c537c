// Graceful shutdown on SIGTERM/SIGINT for the service programs. Construct it first thing in
// main(), before any thread starts: it blocks both signals in the calling thread, so every
// thread created afterwards inherits the mask and the signals wait, pending, until
// Wait() collects them (sigtimedwait) — no async handler, no flag races.
#ifndef TEEPNET_SERVICES_COMMON_SHUTDOWN_H_
#define TEEPNET_SERVICES_COMMON_SHUTDOWN_H_

namespace teepnet::common {

class ShutdownSignals {
 public:
  ShutdownSignals();
  // True once SIGTERM or SIGINT has arrived; waits at most `timeout_ms` (0 = just check).
  bool Wait(int timeout_ms);
  // The signal that arrived (0 if none yet).
  int received() const { return received_; }

 private:
  int received_ = 0;
};

}  // namespace teepnet::common

#endif  // TEEPNET_SERVICES_COMMON_SHUTDOWN_H_
