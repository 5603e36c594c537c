// Memory of accepted sealed-message ids (sealed.h). The recipient keeps one per key; an
// implementation backed by a file or a store survives restarts (an Agent persists it beside its
// keys), the in-memory one here serves tests and short-lived TAs.
#ifndef TEEPNET_CHANNEL_REPLAY_GUARD_H_
#define TEEPNET_CHANNEL_REPLAY_GUARD_H_

#include <cstddef>
#include <cstdint>
#include <map>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet::channel {

class ReplayGuard {
 public:
  virtual ~ReplayGuard() = default;
  // Records `message_id` until `expires_at` (unix seconds). kReplayed when the id is already
  // recorded; kResourceExhausted-coded kTooLarge when the guard is full of unexpired ids.
  virtual Status Remember(ByteView message_id, int64_t expires_at, int64_t now_unix) = 0;
};

class InMemoryReplayGuard final : public ReplayGuard {
 public:
  // At most `capacity` unexpired ids; expired ones are dropped as new ones arrive.
  explicit InMemoryReplayGuard(size_t capacity = 100000) : capacity_(capacity) {}
  Status Remember(ByteView message_id, int64_t expires_at, int64_t now_unix) override;
  size_t size() const { return ids_.size(); }

 private:
  void Purge(int64_t now_unix);
  size_t capacity_;
  struct Less {
    bool operator()(const Bytes& a, const Bytes& b) const { return BytewiseLess(a, b); }
  };
  std::map<Bytes, int64_t, Less> ids_;  // id -> expires_at
};

}  // namespace teepnet::channel

#endif  // TEEPNET_CHANNEL_REPLAY_GUARD_H_
