// TESTONLY: helpers shared by the moc core's unit tests.
#ifndef TEEPNET_MOC_MOC_TEST_SUPPORT_H_
#define TEEPNET_MOC_MOC_TEST_SUPPORT_H_

#include <string>
#include <vector>

#include "teepnet/base/random.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/moc/moc_service.h"
#include "teepnet/suit/component_id.h"
#include "teepnet/suit/test_envelope_builder.h"

namespace teepnet::moc::testing {

// Distinct, reproducible "random" bytes: a counter, so ids differ and tests can repeat.
class CountingRandom final : public Random {
 public:
  Status Fill(std::span<uint8_t> out) override {
    for (uint8_t& b : out) b = static_cast<uint8_t>(next_++ * 131 + 7);
    return OkStatus();
  }

 private:
  uint64_t next_ = 1;
};

// Records every action it carries out; fails while `failing` is set (an M/OC that crashes
// after the commit and before acting looks the same from the store's side).
class RecordingSink final : public ActionSink {
 public:
  Status Execute(const Request& request, const Action& action) override {
    if (failing) return Error(Code::kUnavailable, "sink down");
    executed.push_back({request.id, action});
    return OkStatus();
  }
  std::vector<Action> OfKind(ActionKind kind) const {
    std::vector<Action> out;
    for (const auto& [id, action] : executed) {
      if (action.kind == kind) out.push_back(action);
    }
    return out;
  }
  bool failing = false;
  std::vector<std::pair<std::string, Action>> executed;
};

inline DeviceCapacity Device(std::string id, Architecture arch, std::vector<InstanceType> types,
                             uint32_t slots = 4) {
  DeviceCapacity d;
  d.device_id = std::move(id);
  d.architecture = arch;
  d.architecture_attested = true;
  d.instance_types = std::move(types);
  d.slots_total = slots;
  return d;
}

// A signed SUIT envelope, as a user would upload.
inline Bytes TestEnvelope(std::string_view component) {
  static const crypto::PrivateKey key = *crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  suit::testing::ManifestSpec spec;
  spec.components = {suit::MakeComponentId({component})};
  spec.manifest_component_id = suit::MakeComponentId({component});
  return suit::testing::SignEnvelope(suit::testing::EncodeManifest(spec), key);
}

}  // namespace teepnet::moc::testing

#endif  // TEEPNET_MOC_MOC_TEST_SUPPORT_H_
