#include "teepnet/tam/in_memory_tam_store.h"

#include <algorithm>

#include "teepnet/tam/errc.h"

namespace teepnet::tam {
namespace {

Bytes Key(ByteView b) {
  return ToBytes(b);
}

}  // namespace

Status InMemoryTamStore::PutDevice(const DeviceRecord& device) {
  state_.devices[device.device_id] = device;
  return OkStatus();
}

Status InMemoryTamStore::RemoveDevice(ByteView device_id) {
  if (state_.devices.erase(Key(device_id)) == 0) {
    return Error(Errc::kUnknownDevice, DeviceIdHex(device_id) + " is not enrolled");
  }
  state_.desired.erase(Key(device_id));
  state_.status.erase(Key(device_id));
  return OkStatus();
}

Result<std::optional<DeviceRecord>> InMemoryTamStore::FindDevice(ByteView device_id) const {
  auto it = state_.devices.find(Key(device_id));
  if (it == state_.devices.end()) return std::optional<DeviceRecord>();
  return std::optional<DeviceRecord>(it->second);
}

Result<std::vector<DeviceRecord>> InMemoryTamStore::ListDevices() const {
  std::vector<DeviceRecord> out;
  for (const auto& [id, device] : state_.devices) out.push_back(device);
  return out;
}

Status InMemoryTamStore::PutPackage(const Package& package) {
  state_.packages[{package.manifest_id, package.sequence_number}] = package;
  return OkStatus();
}

Result<std::optional<Package>> InMemoryTamStore::FindPackage(const suit::ComponentId& manifest_id,
                                                             uint64_t sequence_number) const {
  auto it = state_.packages.find({manifest_id, sequence_number});
  if (it == state_.packages.end()) return std::optional<Package>();
  return std::optional<Package>(it->second);
}

Result<std::optional<Package>> InMemoryTamStore::FindLatestPackage(
    const suit::ComponentId& manifest_id) const {
  // Keys order by (id, sequence): the last entry with this id has the highest sequence.
  std::optional<Package> latest;
  for (auto it = state_.packages.lower_bound({manifest_id, 0});
       it != state_.packages.end() && it->first.first == manifest_id; ++it) {
    latest = it->second;
  }
  return latest;
}

Result<DesiredState> InMemoryTamStore::GetDesiredState(ByteView device_id) const {
  auto it = state_.desired.find(Key(device_id));
  if (it == state_.desired.end()) return DesiredState();
  return it->second;
}

Status InMemoryTamStore::SetDesiredState(ByteView device_id, const DesiredState& desired) {
  if (state_.devices.count(Key(device_id)) == 0) {
    return Error(Errc::kUnknownDevice, DeviceIdHex(device_id) + " is not enrolled");
  }
  state_.desired[Key(device_id)] = desired;
  return OkStatus();
}

Result<std::optional<DeviceStatus>> InMemoryTamStore::GetStatus(ByteView device_id) const {
  auto it = state_.status.find(Key(device_id));
  if (it == state_.status.end()) return std::optional<DeviceStatus>();
  return std::optional<DeviceStatus>(it->second);
}

Result<std::optional<TokenRecord>> InMemoryTamStore::FindToken(ByteView token) const {
  auto it = state_.tokens.find(Key(token));
  if (it == state_.tokens.end()) return std::optional<TokenRecord>();
  return std::optional<TokenRecord>(it->second);
}

Result<size_t> InMemoryTamStore::PurgeTokens(int64_t now_unix) {
  return static_cast<size_t>(std::erase_if(
      state_.tokens, [&](const auto& entry) { return entry.second.expires_at <= now_unix; }));
}

Status InMemoryTamStore::Commit(const TamTransaction& txn) {
  if (fail_next_commit_) {
    fail_next_commit_ = false;
    return Error(Errc::kStoreFailure, "injected commit failure");
  }
  // All of the step or none of it: every condition that can refuse the step is checked before
  // the first change, then the changes are applied in place. (Building the step on a copy of
  // the whole state cost time linear in the tokens kept, which grow until PurgeTokens: at a
  // few hundred tokens the copy was most of the commit.)
  std::map<Bytes, TokenRecord>::iterator consumed = state_.tokens.end();
  if (txn.consume_token) {
    consumed = state_.tokens.find(*txn.consume_token);
    if (consumed == state_.tokens.end()) {
      return Error(Errc::kUnknownToken, "token to consume is gone");
    }
    if (consumed->second.consumed) return Error(Errc::kTokenReplayed, "token already consumed");
  }
  // A used self-authenticating token is a new key: its presence is the replay (the unique key
  // the SQL stores have too).
  if (txn.record_used_token && state_.tokens.count(txn.record_used_token->token) != 0) {
    return Error(Errc::kTokenReplayed, "token already used by a valid response");
  }
  if (txn.issue_token && state_.tokens.count(txn.issue_token->token) != 0) {
    return Error(Errc::kStoreFailure, "token value already issued");
  }
  if ((txn.status || txn.desired) && !txn.device) {
    return Error(Errc::kStoreFailure, "state change without a device");
  }
  if (consumed != state_.tokens.end()) {
    consumed->second.consumed = true;
    if (!consumed->second.device_id && txn.device) consumed->second.device_id = txn.device;
  }
  if (txn.record_used_token) {
    TokenRecord used = *txn.record_used_token;
    used.consumed = true;
    if (!used.device_id) used.device_id = txn.device;
    state_.tokens[used.token] = std::move(used);
  }
  if (txn.issue_token) {
    const TokenRecord& fresh = *txn.issue_token;
    if (fresh.device_id && max_tokens_per_device_ > 0) {
      // Evict the oldest outstanding tokens of this device beyond the cap (after the consume
      // above, as before: a token this step consumes is no longer outstanding).
      std::vector<std::pair<int64_t, Bytes>> outstanding;
      for (const auto& [value, record] : state_.tokens) {
        if (!record.consumed && record.device_id == fresh.device_id) {
          outstanding.emplace_back(record.issued_at, value);
        }
      }
      std::sort(outstanding.begin(), outstanding.end());
      while (outstanding.size() >= max_tokens_per_device_) {
        state_.tokens.erase(outstanding.front().second);
        outstanding.erase(outstanding.begin());
      }
    }
    state_.tokens[fresh.token] = fresh;
  }
  if (txn.status) state_.status[*txn.device] = *txn.status;
  if (txn.desired) state_.desired[*txn.device] = *txn.desired;
  ++state_.commits;
  return OkStatus();
}

}  // namespace teepnet::tam
