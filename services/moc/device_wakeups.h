// DeviceWakeups: the M/OC's side of the device long poll, GET /device/v1/devices/{id}/wait
// (USE-CASES "Device channel API"). The places that create work for a device call Notify():
// the action sink when it changes the device's TAM desired state, asks for an attestation or
// queues sealed bytes (tam_action_sink.h). A device's Broker waits here between rounds and is
// answered as soon as it has work, else when its timeout runs out, so a request moves on at
// the speed of the device instead of its poll interval.
//
// Work is remembered per device until a wait collects it: a Notify() that lands while the
// Broker is busy with a round answers its next wait at once, so no wake-up is lost between a
// round and the wait that follows it. Notifications live only in this process: with several
// replicas on one PostgreSQL store a device waiting at another replica learns of the work on
// its poll interval, as before.
//
// Every answer goes through the caller's callback, from the notifying thread or from the
// timer thread this object owns; never while a lock is held.
#ifndef TEEPNET_SERVICES_MOC_DEVICE_WAKEUPS_H_
#define TEEPNET_SERVICES_MOC_DEVICE_WAKEUPS_H_

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>

namespace teepnet::moc {

// Waits held at once (each holds a connection); beyond them a wait is refused (HTTP 503) and
// the Broker falls back to its poll interval.
inline constexpr size_t kMaxDeviceWaits = 4096;
// One Broker waits at a time; a second wait for the same device answers the older one (no
// work) so a client that lost its connection cannot pile waits up.
inline constexpr size_t kMaxWaitsPerDevice = 2;
// The longest wait a caller may ask for (timeout_ms).
inline constexpr int64_t kMaxDeviceWaitMs = 30000;

enum class WaitAnswer {
  kWork,     // the device has work (HTTP 200)
  kTimeout,  // nothing arrived within the timeout, or the M/OC is stopping (HTTP 204)
  kRefused,  // too many waits held (HTTP 503)
};

class DeviceWakeups {
 public:
  using Answer = std::function<void(WaitAnswer)>;

  DeviceWakeups();
  ~DeviceWakeups();
  DeviceWakeups(const DeviceWakeups&) = delete;
  DeviceWakeups& operator=(const DeviceWakeups&) = delete;

  // `device_id` has work: answers its waits now, or the next one.
  void Notify(std::string_view device_id);
  // Answers kWork at once when work is pending for `device_id` (collecting it); otherwise on
  // the next Notify(), or kTimeout after `timeout_ms` (clamped to 0..kMaxDeviceWaitMs).
  void Wait(std::string_view device_id, int64_t timeout_ms, Answer answer);
  // Answers every wait kTimeout, and every later one at once; joins the timer thread.
  // Call before the HTTP server that holds the connections stops. Idempotent.
  void Close();

  size_t waiting() const;

 private:
  using TimePoint = std::chrono::steady_clock::time_point;
  struct Waiter {
    std::string device_id;
    TimePoint deadline;
    Answer answer;
  };
  void TimerLoop();

  mutable std::mutex mu_;
  std::condition_variable changed_;
  bool closed_ = false;
  uint64_t next_id_ = 0;
  std::map<uint64_t, Waiter> waiters_;  // by arrival
  std::set<std::string, std::less<>> pending_;
  std::thread timer_;
};

}  // namespace teepnet::moc

#endif  // TEEPNET_SERVICES_MOC_DEVICE_WAKEUPS_H_
