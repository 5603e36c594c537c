#include "tests/e2e/packages.h"

#include "teepnet/cbor/writer.h"
#include "teepnet/suit/test_envelope_builder.h"

namespace teepnet::e2e {

const suit::ComponentId& HelloComponent() {
  static const suit::ComponentId* id =
      new suit::ComponentId(suit::MakeComponentId({"TEEP-Device", "SecureFS", "hello.ta"}));
  return *id;
}

Bytes WriteContentEnvelope(const suit::ComponentId& component, uint64_t sequence_number,
                           std::string_view content, const crypto::PrivateKey& signer) {
  suit::testing::ManifestSpec spec;
  spec.sequence_number = sequence_number;
  spec.components = {component};
  spec.manifest_component_id = component;
  const Bytes text = ToBytes(content);
  spec.install = suit::testing::SequenceBuilder()
                     .Override(1,
                               [&](cbor::Writer& w) {
                                 w.WriteUint(18);  // suit-parameter-content
                                 w.WriteBytes(text);
                               })
                     .Command(18, 15)  // suit-directive-write
                     .Encode();
  return suit::testing::SignEnvelope(suit::testing::EncodeManifest(spec), signer);
}

}  // namespace teepnet::e2e
