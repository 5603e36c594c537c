// TESTONLY: builds signed SUIT envelopes from a manifest written in code, so each processor
// rule can be exercised without a published vector.
#ifndef TEEPNET_SUIT_TEST_ENVELOPE_BUILDER_H_
#define TEEPNET_SUIT_TEST_ENVELOPE_BUILDER_H_

#include <functional>
#include <initializer_list>
#include <string_view>

#include "teepnet/base/bytes.h"
#include "teepnet/cbor/writer.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/suit/component_id.h"

namespace teepnet::suit::testing {

// Encodes a command sequence from already-encoded (id, argument) pairs.
class SequenceBuilder {
 public:
  SequenceBuilder& Command(int64_t id, uint64_t policy);
  SequenceBuilder& SetIndex(uint64_t index);
  // `params` writes the map's entries; `pairs` is their number.
  SequenceBuilder& Override(size_t pairs, const std::function<void(cbor::Writer&)>& params);
  SequenceBuilder& Set(size_t pairs, const std::function<void(cbor::Writer&)>& params);
  SequenceBuilder& Raw(int64_t id, ByteView encoded_argument);
  Bytes Encode() const;

 private:
  cbor::Writer body_;
  size_t commands_ = 0;
};

struct ManifestSpec {
  uint64_t sequence_number = 1;
  std::vector<ComponentId> components;
  Bytes shared_sequence;  // empty: none
  Bytes install;          // empty: none
  Bytes validate;         // empty: none
  std::optional<ComponentId> manifest_component_id;
};

Bytes EncodeManifest(const ManifestSpec& spec);
// A tagged envelope with a COSE_Sign1 (ESP256) over the manifest digest.
Bytes SignEnvelope(ByteView manifest, const crypto::PrivateKey& key);

}  // namespace teepnet::suit::testing

#endif  // TEEPNET_SUIT_TEST_ENVELOPE_BUILDER_H_
