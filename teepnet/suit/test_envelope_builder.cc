#include "teepnet/suit/test_envelope_builder.h"

#include "teepnet/cose/sign1.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/suit/digest.h"

namespace teepnet::suit::testing {

SequenceBuilder& SequenceBuilder::Command(int64_t id, uint64_t policy) {
  body_.WriteInt(id);
  body_.WriteUint(policy);
  ++commands_;
  return *this;
}

SequenceBuilder& SequenceBuilder::SetIndex(uint64_t index) {
  body_.WriteInt(12);
  body_.WriteUint(index);
  ++commands_;
  return *this;
}

SequenceBuilder& SequenceBuilder::Override(size_t pairs,
                                           const std::function<void(cbor::Writer&)>& params) {
  body_.WriteInt(20);
  body_.WriteMapHeader(pairs);
  params(body_);
  ++commands_;
  return *this;
}

SequenceBuilder& SequenceBuilder::Set(size_t pairs,
                                      const std::function<void(cbor::Writer&)>& params) {
  body_.WriteInt(19);
  body_.WriteMapHeader(pairs);
  params(body_);
  ++commands_;
  return *this;
}

SequenceBuilder& SequenceBuilder::Raw(int64_t id, ByteView encoded_argument) {
  body_.WriteInt(id);
  body_.WriteRaw(encoded_argument);
  ++commands_;
  return *this;
}

Bytes SequenceBuilder::Encode() const {
  cbor::Writer w;
  w.WriteArrayHeader(commands_ * 2);
  w.WriteRaw(body_.bytes());
  return std::move(w).Take();
}

Bytes EncodeManifest(const ManifestSpec& spec) {
  cbor::Writer common;
  common.WriteMapHeader(spec.shared_sequence.empty() ? 1 : 2);
  common.WriteUint(2);
  common.WriteArrayHeader(spec.components.size());
  for (const ComponentId& c : spec.components) c.WriteTo(common);
  if (!spec.shared_sequence.empty()) {
    common.WriteUint(4);
    common.WriteBytes(spec.shared_sequence);
  }
  size_t members = 3 + (spec.install.empty() ? 0 : 1) + (spec.validate.empty() ? 0 : 1) +
                   (spec.manifest_component_id ? 1 : 0);
  cbor::Writer m;
  m.WriteMapHeader(members);
  m.WriteUint(1);
  m.WriteUint(1);
  m.WriteUint(2);
  m.WriteUint(spec.sequence_number);
  m.WriteUint(3);
  m.WriteBytes(common.bytes());
  if (spec.manifest_component_id) {
    m.WriteUint(5);
    spec.manifest_component_id->WriteTo(m);
  }
  if (!spec.validate.empty()) {
    m.WriteUint(7);
    m.WriteBytes(spec.validate);
  }
  if (!spec.install.empty()) {
    m.WriteUint(20);
    m.WriteBytes(spec.install);
  }
  return std::move(m).Take();
}

Bytes SignEnvelope(ByteView manifest, const crypto::PrivateKey& key) {
  cbor::Writer manifest_bstr;
  manifest_bstr.WriteBytes(manifest);
  Bytes digest = EncodeDigest(DigestAlgorithm::kSha256, crypto::Sha256(manifest_bstr.bytes()));
  cose::Sign1Options options;
  options.detached = true;
  Bytes sign1 = *cose::CreateSign1(key, digest, options);
  cbor::Writer auth;
  auth.WriteArrayHeader(2);
  auth.WriteBytes(digest);
  auth.WriteBytes(sign1);
  cbor::Writer env;
  env.WriteTag(107);
  env.WriteMapHeader(2);
  env.WriteUint(2);
  env.WriteBytes(auth.bytes());
  env.WriteUint(3);
  env.WriteRaw(manifest_bstr.bytes());
  return std::move(env).Take();
}

}  // namespace teepnet::suit::testing
