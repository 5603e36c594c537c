// RequestLoop: the thread that moves requests on from what the TAM learnt (the reconciler),
// fails those past their deadline and carries out actions left in outboxes (moc_main.cc's
// `pass`). It runs a pass as soon as Wake() is called — a TAM step committed, a user API
// call — and otherwise every `tick_ms`: the tick is the safety net, and the only way replicas
// sharing a PostgreSQL store see each other's steps.
//
// Wakes that arrive during a pass are coalesced into one more pass; nothing spins.
#ifndef TEEPNET_SERVICES_MOC_REQUEST_LOOP_H_
#define TEEPNET_SERVICES_MOC_REQUEST_LOOP_H_

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

namespace teepnet::moc {

class RequestLoop {
 public:
  // Starts the thread; the first pass runs at once.
  RequestLoop(std::function<void()> pass, int tick_ms);
  ~RequestLoop();
  RequestLoop(const RequestLoop&) = delete;
  RequestLoop& operator=(const RequestLoop&) = delete;

  // Asks for a pass as soon as the current one (if any) ends. Cheap; any thread.
  void Wake();
  // Lets the current pass finish and joins the thread. Idempotent.
  void Stop();

  uint64_t passes() const;

 private:
  void Run();

  std::function<void()> pass_;
  const int tick_ms_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool woken_ = true;
  bool stop_ = false;
  uint64_t passes_ = 0;
  std::thread thread_;
};

}  // namespace teepnet::moc

#endif  // TEEPNET_SERVICES_MOC_REQUEST_LOOP_H_
