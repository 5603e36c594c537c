#include "teepnet/channel/replay_guard.h"

#include "teepnet/channel/errc.h"

namespace teepnet::channel {

void InMemoryReplayGuard::Purge(int64_t now_unix) {
  for (auto it = ids_.begin(); it != ids_.end();) {
    it = it->second <= now_unix ? ids_.erase(it) : std::next(it);
  }
}

Status InMemoryReplayGuard::Remember(ByteView message_id, int64_t expires_at, int64_t now_unix) {
  Bytes id = ToBytes(message_id);
  auto found = ids_.find(id);
  if (found != ids_.end() && found->second > now_unix) {
    return Error(Errc::kReplayed, "message already accepted");
  }
  if (found == ids_.end() && ids_.size() >= capacity_) {
    Purge(now_unix);
    if (ids_.size() >= capacity_) {
      return Error(Errc::kTooLarge, "replay memory is full of unexpired message ids");
    }
  }
  ids_[std::move(id)] = expires_at;
  return OkStatus();
}

}  // namespace teepnet::channel
