// What a SUIT processor needs from its surroundings, as interfaces so the processor has no
// I/O of its own: the device's identity, a Fetcher for URIs, and an Invoker.
#ifndef TEEPNET_SUIT_ENVIRONMENT_H_
#define TEEPNET_SUIT_ENVIRONMENT_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/suit/component_id.h"

namespace teepnet::suit {

// Identity the conditions compare against (manifest-37 §8.4.10.1: vendor-identifier,
// class-identifier and device-identifier are RFC 9562 UUIDs as 16-byte bstrs).
struct DeviceIdentity {
  Bytes vendor_id;
  std::vector<Bytes> class_ids;  // a device may belong to several classes
  std::optional<Bytes> device_id;
  // The slot each component currently runs from (condition-component-slot, §8.4.10.1);
  // components not listed are in slot 0.
  std::map<ComponentId, uint64_t> slots;
};

// Resolves a URI to bytes (directive-fetch, §8.4.10.2). Fails with suit::Errc::kFetchFailed.
class Fetcher {
 public:
  virtual ~Fetcher() = default;
  virtual Result<Bytes> Fetch(std::string_view uri) = 0;
};

// A fixed URI -> bytes map (tests; a TEEP Agent that got payloads with the Update message).
class MapFetcher final : public Fetcher {
 public:
  void Add(std::string uri, Bytes content) { map_[std::move(uri)] = std::move(content); }
  Result<Bytes> Fetch(std::string_view uri) override;
  size_t fetches() const { return fetches_; }

 private:
  std::map<std::string, Bytes, std::less<>> map_;
  size_t fetches_ = 0;
};

// Starts a component (directive-invoke, §8.4.10.2).
class Invoker {
 public:
  virtual ~Invoker() = default;
  virtual Status Invoke(const ComponentId& component, ByteView image, ByteView args) = 0;
};

}  // namespace teepnet::suit

#endif  // TEEPNET_SUIT_ENVIRONMENT_H_
