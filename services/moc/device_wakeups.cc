#include "services/moc/device_wakeups.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace teepnet::moc {

DeviceWakeups::DeviceWakeups() : timer_([this] { TimerLoop(); }) {}

DeviceWakeups::~DeviceWakeups() {
  Close();
}

void DeviceWakeups::Notify(std::string_view device_id) {
  std::vector<Answer> due;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return;
    for (auto it = waiters_.begin(); it != waiters_.end();) {
      if (it->second.device_id == device_id) {
        due.push_back(std::move(it->second.answer));
        it = waiters_.erase(it);
      } else {
        ++it;
      }
    }
    // Nobody was waiting: keep the work for the device's next wait.
    if (due.empty()) pending_.emplace(device_id);
  }
  for (Answer& a : due) a(WaitAnswer::kWork);
}

void DeviceWakeups::Wait(std::string_view device_id, int64_t timeout_ms, Answer answer) {
  std::vector<Answer> bumped;
  std::optional<WaitAnswer> now;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) {
      now = WaitAnswer::kTimeout;
    } else if (auto p = pending_.find(device_id); p != pending_.end()) {
      pending_.erase(p);
      now = WaitAnswer::kWork;
    } else if (waiters_.size() >= kMaxDeviceWaits) {
      now = WaitAnswer::kRefused;
    } else {
      size_t same = 0;
      for (auto it = waiters_.rbegin(); it != waiters_.rend(); ++it) {
        same += it->second.device_id == device_id;
      }
      for (auto it = waiters_.begin(); it != waiters_.end() && same >= kMaxWaitsPerDevice;) {
        if (it->second.device_id == device_id) {
          bumped.push_back(std::move(it->second.answer));
          it = waiters_.erase(it);
          --same;
        } else {
          ++it;
        }
      }
      const int64_t ms = std::clamp<int64_t>(timeout_ms, 0, kMaxDeviceWaitMs);
      waiters_.emplace(next_id_++,
                       Waiter{std::string(device_id),
                              std::chrono::steady_clock::now() + std::chrono::milliseconds(ms),
                              std::move(answer)});
      changed_.notify_all();
    }
  }
  for (Answer& a : bumped) a(WaitAnswer::kTimeout);
  if (now) answer(*now);
}

void DeviceWakeups::Close() {
  std::vector<Answer> all;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return;
    closed_ = true;
    for (auto& [id, w] : waiters_) all.push_back(std::move(w.answer));
    waiters_.clear();
    changed_.notify_all();
  }
  if (timer_.joinable()) timer_.join();
  for (Answer& a : all) a(WaitAnswer::kTimeout);
}

size_t DeviceWakeups::waiting() const {
  std::lock_guard<std::mutex> lock(mu_);
  return waiters_.size();
}

void DeviceWakeups::TimerLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!closed_) {
    const TimePoint now = std::chrono::steady_clock::now();
    std::vector<Answer> expired;
    std::optional<TimePoint> next;
    for (auto it = waiters_.begin(); it != waiters_.end();) {
      if (it->second.deadline <= now) {
        expired.push_back(std::move(it->second.answer));
        it = waiters_.erase(it);
      } else {
        next = next ? std::min(*next, it->second.deadline) : it->second.deadline;
        ++it;
      }
    }
    if (!expired.empty()) {
      lock.unlock();
      for (Answer& a : expired) a(WaitAnswer::kTimeout);
      lock.lock();
      continue;
    }
    if (next) {
      changed_.wait_until(lock, *next);
    } else {
      changed_.wait(lock);
    }
  }
}

}  // namespace teepnet::moc
