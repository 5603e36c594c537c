#include "teepnet/suit/envelope.h"

#include "teepnet/cbor/reader.h"
#include "teepnet/suit/decode_util.h"
#include "teepnet/suit/errc.h"
#include "teepnet/suit/ids.h"
#include "teepnet/suit/manifest.h"

namespace teepnet::suit {
namespace {

// SUIT_Authentication = [ bstr .cbor SUIT_Digest, * bstr .cbor SUIT_Authentication_Block ]
Status DecodeAuthenticationWrapper(ByteView encoded, size_t base, const Limits& limits,
                                   Envelope& env) {
  cbor::Reader r(encoded, SuitDecodeOptions());
  size_t n = 0;
  Status s = Wrap(r.ReadArrayHeader(&n), "SUIT_Authentication");
  if (!s.ok()) return s.error().WithOffsetBase(base);
  if (n == 0) return Error(Errc::kMalformed, "SUIT_Authentication is empty", base);
  if (n - 1 > limits.max_auth_blocks) {
    return Error(Errc::kTooManyAuthBlocks,
                 std::to_string(n - 1) + " authentication blocks exceed the limit", base);
  }
  s = ReadWrappedBstr(r, "SUIT_Digest", &env.digest_encoded);
  if (!s.ok()) return s.error().WithOffsetBase(base);
  auto digest = DecodeDigest(env.digest_encoded);
  if (!digest.ok()) return digest.error().WithOffsetBase(base);
  env.digest = *digest;
  for (size_t i = 1; i < n; ++i) {
    ByteView block;
    s = ReadWrappedBstr(r, "SUIT_Authentication_Block", &block);
    if (!s.ok()) return s.error().WithOffsetBase(base);
    env.auth_blocks.push_back(block);
  }
  s = Wrap(r.ExpectEnd(), "SUIT_Authentication");
  if (!s.ok()) return s.error().WithOffsetBase(base);
  return OkStatus();
}

}  // namespace

const IntegratedPayload* Envelope::FindIntegrated(std::string_view key) const {
  for (const IntegratedPayload& p : integrated) {
    if (p.key == key) return &p;
  }
  return nullptr;
}

Result<Envelope> DecodeEnvelope(ByteView input, const Limits& limits) {
  if (input.size() > limits.max_envelope_size) {
    return Error(Errc::kEnvelopeTooLarge,
                 std::to_string(input.size()) + " bytes exceed the envelope limit", 0);
  }
  cbor::Reader r(input, SuitDecodeOptions());
  Envelope env;
  TEEPNET_ASSIGN_OR_RETURN(cbor::ItemType type, PeekType(r, "SUIT_Envelope"));
  if (type == cbor::ItemType::kTag) {
    uint64_t tag = 0;
    TEEPNET_RETURN_IF_ERROR(Wrap(r.ReadTag(&tag), "SUIT_Envelope_Tagged"));
    // manifest-37 §8.2: SUIT_Envelope_Tagged = #6.107(SUIT_Envelope).
    if (tag != kEnvelopeTag) {
      return Error(Errc::kWrongTag, "tag " + std::to_string(tag) + " is not 107", 0);
    }
    env.tagged = true;
  }
  size_t n = 0;
  TEEPNET_RETURN_IF_ERROR(Wrap(r.ReadMapHeader(&n), "SUIT_Envelope"));
  KeySet keys;
  std::vector<std::string> text_keys;
  bool have_auth = false, have_manifest = false;
  for (size_t i = 0; i < n; ++i) {
    const size_t at = r.offset();
    TEEPNET_ASSIGN_OR_RETURN(cbor::ItemType key_type, PeekType(r, "SUIT_Envelope key"));
    if (key_type == cbor::ItemType::kText) {
      // Integrated payloads and dependencies (manifest-37 §7.5, trust-domains-11 §5).
      std::string_view key;
      TEEPNET_RETURN_IF_ERROR(Wrap(r.ReadText(&key), "integrated payload key"));
      for (const IntegratedPayload& p : env.integrated) {
        if (p.key == key) {
          return Error(Errc::kDuplicateKey, "SUIT_Envelope has \"" + std::string(key) + "\" twice",
                       at);
        }
      }
      IntegratedPayload payload;
      payload.key = std::string(key);
      TEEPNET_RETURN_IF_ERROR(Wrap(r.ReadBytes(&payload.contents), "integrated payload"));
      env.integrated.push_back(std::move(payload));
      continue;
    }
    int64_t key = 0;
    TEEPNET_RETURN_IF_ERROR(Wrap(r.ReadInt(&key), "SUIT_Envelope key"));
    TEEPNET_RETURN_IF_ERROR(keys.Add(key, at, "SUIT_Envelope"));
    if (key == static_cast<int64_t>(EnvelopeKey::kAuthentication)) {
      const size_t value_at = r.offset();
      ByteView wrapper;
      TEEPNET_RETURN_IF_ERROR(ReadWrappedBstr(r, "suit-authentication-wrapper", &wrapper));
      // The bstr head is 1..9 bytes; offsets inside the wrapper are relative to its contents.
      const size_t base = value_at + (r.offset() - value_at - wrapper.size());
      TEEPNET_RETURN_IF_ERROR(DecodeAuthenticationWrapper(wrapper, base, limits, env));
      have_auth = true;
    } else if (key == static_cast<int64_t>(EnvelopeKey::kManifest)) {
      TEEPNET_RETURN_IF_ERROR(
          ReadWrappedBstr(r, "suit-manifest", &env.manifest, &env.manifest_bstr));
      have_manifest = true;
    } else if (key == static_cast<int64_t>(EnvelopeKey::kDelegation)) {
      ByteView delegation;
      TEEPNET_RETURN_IF_ERROR(Wrap(r.ReadRawItem(&delegation), "suit-delegation"));
      env.delegation = delegation;
    } else if (IsSeverable(key)) {
      ByteView contents, whole;
      TEEPNET_RETURN_IF_ERROR(ReadWrappedBstr(r, ManifestKeyName(key), &contents, &whole));
      env.severed_bstr.emplace(key, whole);
      env.severed_contents.emplace(key, contents);
    } else {
      return Error(Errc::kUnknownMember, "SUIT_Envelope key " + std::to_string(key), at);
    }
  }
  TEEPNET_RETURN_IF_ERROR(Wrap(r.ExpectEnd(), "SUIT_Envelope"));
  // manifest-37 §8.2: the authentication wrapper and the manifest are mandatory.
  if (!have_auth) return Error(Errc::kMalformed, "no suit-authentication-wrapper", 0);
  if (!have_manifest) return Error(Errc::kMalformed, "no suit-manifest", 0);
  return env;
}

}  // namespace teepnet::suit
