#include "teepnet/suit/authenticator.h"

#include "teepnet/cbor/reader.h"
#include "teepnet/cose/errc.h"
#include "teepnet/cose/mac0.h"
#include "teepnet/cose/message.h"
#include "teepnet/cose/sign1.h"
#include "teepnet/suit/decode_util.h"
#include "teepnet/suit/errc.h"

namespace teepnet::suit {
namespace {

bool FuzzingAcceptsAnything(const TrustAnchors& anchors) {
#ifdef TEEPNET_FUZZING_BUILD
  return anchors.fuzzing_accept_unauthenticated;
#else
  (void)anchors;
  return false;
#endif
}

// True when this block verifies with one of the trusted keys. Structural problems in the
// block are errors; a signature that does not verify is just "false" so the next block or
// key can be tried.
Result<bool> VerifyBlock(ByteView block, ByteView detached_payload, const TrustAnchors& anchors) {
  // SUIT_Authentication_Block = COSE_Sign_Tagged / COSE_Sign1_Tagged / COSE_Mac_Tagged /
  // COSE_Mac0_Tagged (manifest-37 §8.3): the tag says which.
  cbor::Reader r(block, SuitDecodeOptions());
  uint64_t tag = 0;
  TEEPNET_RETURN_IF_ERROR(Wrap(r.ReadTag(&tag), "SUIT_Authentication_Block tag"));
  // external_aad is empty for SUIT (manifest-37 §8.3).
  if (tag == static_cast<uint64_t>(cose::MessageTag::kSign1)) {
    auto msg = cose::Sign1Message::Decode(block, cose::Tagging::kRequired);
    if (!msg.ok()) {
      if (msg.error().Is(cose::Errc::kUnsupportedAlgorithm)) {
        return Error(Errc::kUnsupportedAuthentication, msg.error().ToString());
      }
      return Error(Errc::kMalformed, "COSE_Sign1: " + msg.error().ToString());
    }
    // The payload must be detached (manifest-37 §8.3: "the payload ... is the SUIT_Digest
    // ... detached").
    if (msg->payload().has_value()) {
      return Error(Errc::kMalformed, "COSE_Sign1 in a SUIT envelope must have a nil payload");
    }
    for (const crypto::PublicKey& key : anchors.signing_keys) {
      if (msg->VerifyDetached(key, detached_payload).ok()) return true;
    }
    return false;
  }
  if (tag == static_cast<uint64_t>(cose::MessageTag::kMac0)) {
    auto msg = cose::Mac0Message::Decode(block, cose::Tagging::kRequired);
    if (!msg.ok()) {
      if (msg.error().Is(cose::Errc::kUnsupportedAlgorithm)) {
        return Error(Errc::kUnsupportedAuthentication, msg.error().ToString());
      }
      return Error(Errc::kMalformed, "COSE_Mac0: " + msg.error().ToString());
    }
    if (msg->payload().has_value()) {
      return Error(Errc::kMalformed, "COSE_Mac0 in a SUIT envelope must have a nil payload");
    }
    for (const SecretBytes& key : anchors.mac_keys) {
      if (msg->VerifyDetached(key.view(), detached_payload).ok()) return true;
    }
    return false;
  }
  return Error(Errc::kUnsupportedAuthentication,
               "authentication block with CBOR tag " + std::to_string(tag));
}

}  // namespace

Status AuthenticateEnvelope(const Envelope& envelope, const TrustAnchors& anchors) {
  if (envelope.auth_blocks.empty()) {
    return Error(Errc::kNoAuthentication, "the authentication wrapper has only a digest");
  }
  bool verified = false;
  for (ByteView block : envelope.auth_blocks) {
    TEEPNET_ASSIGN_OR_RETURN(bool ok, VerifyBlock(block, envelope.digest_encoded, anchors));
    verified = verified || ok;
  }
  if (!verified && !FuzzingAcceptsAnything(anchors)) {
    return Error(Errc::kSignatureInvalid, "no authentication block verifies with a trusted key");
  }
  // manifest-37 §8.3: the digest is "computed over the bstr-wrapped SUIT_Manifest", i.e. the
  // encoded byte string including its head, exactly as received.
  TEEPNET_ASSIGN_OR_RETURN(bool matches, DigestMatches(envelope.digest, envelope.manifest_bstr));
  if (!matches && !FuzzingAcceptsAnything(anchors)) {
    return Error(Errc::kDigestMismatch, "the manifest does not match the authenticated digest");
  }
  return OkStatus();
}

Result<VerifiedManifest> OpenEnvelope(const Envelope& envelope, const TrustAnchors& anchors,
                                      const Limits& limits) {
  TEEPNET_RETURN_IF_ERROR(AuthenticateEnvelope(envelope, anchors));
  VerifiedManifest out;
  TEEPNET_ASSIGN_OR_RETURN(out.manifest, DecodeManifest(envelope.manifest, limits));
  for (const auto& [key, member] : out.manifest.members) {
    if (member.contents) {
      if (envelope.severed_bstr.count(key) != 0) {
        return Error(Errc::kUnexpectedSeveredMember,
                     std::string(ManifestKeyName(key)) + " is both inline and severed");
      }
      out.sections.emplace(key, *member.contents);
      continue;
    }
    auto it = envelope.severed_bstr.find(key);
    if (it == envelope.severed_bstr.end()) {
      out.absent_severed.insert(key);
      continue;
    }
    // manifest-37 §8.4.11: the severed member's digest covers its whole encoded bstr.
    TEEPNET_ASSIGN_OR_RETURN(bool matches, DigestMatches(*member.severed_digest, it->second));
    if (!matches && !FuzzingAcceptsAnything(anchors)) {
      return Error(Errc::kSeveredDigestMismatch,
                   std::string(ManifestKeyName(key)) + " does not match its digest");
    }
    out.sections.emplace(key, envelope.severed_contents.at(key));
  }
  for (const auto& [key, bytes] : envelope.severed_bstr) {
    if (out.manifest.members.count(key) == 0) {
      return Error(Errc::kUnexpectedSeveredMember,
                   std::string(ManifestKeyName(key)) + " is in the envelope but not the manifest");
    }
  }
  return out;
}

}  // namespace teepnet::suit
