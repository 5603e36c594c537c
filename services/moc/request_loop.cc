#include "services/moc/request_loop.h"

#include <chrono>
#include <utility>

namespace teepnet::moc {

RequestLoop::RequestLoop(std::function<void()> pass, int tick_ms)
    : pass_(std::move(pass)), tick_ms_(tick_ms), thread_([this] { Run(); }) {}

RequestLoop::~RequestLoop() {
  Stop();
}

void RequestLoop::Wake() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    woken_ = true;
  }
  cv_.notify_one();
}

void RequestLoop::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

uint64_t RequestLoop::passes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return passes_;
}

void RequestLoop::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    if (!woken_) {
      cv_.wait_for(lock, std::chrono::milliseconds(tick_ms_), [this] { return woken_ || stop_; });
      if (stop_) break;
    }
    // A wake from here on asks for another pass: what woke it may not be visible to this one.
    woken_ = false;
    lock.unlock();
    pass_();
    lock.lock();
    ++passes_;
  }
}

}  // namespace teepnet::moc
