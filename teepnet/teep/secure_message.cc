#include "teepnet/teep/secure_message.h"

#include <algorithm>

#include "teepnet/cbor/reader.h"
#include "teepnet/cose/algorithm.h"
#include "teepnet/cose/errc.h"
#include "teepnet/cose/header_map.h"
#include "teepnet/cose/message.h"
#include "teepnet/cose/sign.h"
#include "teepnet/cose/sign1.h"
#include "teepnet/cose/signing.h"
#include "teepnet/teep/errc.h"

namespace teepnet::teep {
namespace {

enum class CoseKind : uint8_t { kSign1, kSign };

// The suite's algorithm, checked to be a signature algorithm we implement.
Result<const cose::AlgorithmInfo*> SuiteAlgorithm(const CipherSuite& suite) {
  const auto alg = suite.Sign1Alg();
  const cose::AlgorithmInfo* info = alg ? cose::FindAlgorithm(*alg) : nullptr;
  if (info == nullptr || info->kind != cose::AlgorithmKind::kSignature || !info->implemented) {
    return Error(Errc::kUnsupportedCipherSuite, "cipher suite " + suite.ToString());
  }
  return info;
}

cose::HeaderMap ProtectedHeaders(const cose::AlgorithmInfo& info, const SigningKey& key) {
  cose::HeaderMap headers;
  headers.SetAlg(info.id);
  // kid goes in the protected bucket so a Broker cannot swap it.
  if (key.kid) headers.SetKid(*key.kid);
  return headers;
}

// Step 2: which COSE structure the bytes hold. Tagged input names itself; untagged input
// (accepted on receive, digest §1) is told apart by the fourth member: a signature bstr
// (COSE_Sign1) or an array of signatures (COSE_Sign).
Result<CoseKind> ClassifyCose(ByteView wire) {
  cbor::Reader r(wire, cose::MessageDecodeOptions());
  TEEPNET_ASSIGN_OR_RETURN(cbor::Item head, r.Next());
  if (head.type == cbor::ItemType::kTag) {
    if (head.argument == static_cast<uint64_t>(cose::MessageTag::kSign1)) return CoseKind::kSign1;
    if (head.argument == static_cast<uint64_t>(cose::MessageTag::kSign)) return CoseKind::kSign;
    return Error(
        Errc::kNotCose,
        "tag " + std::to_string(head.argument) + " is neither COSE_Sign1 (18) nor COSE_Sign (98)",
        0);
  }
  if (head.type != cbor::ItemType::kArray || head.indefinite || head.argument != 4) {
    return Error(Errc::kNotCose, "not a COSE_Sign1 or COSE_Sign array", 0);
  }
  for (int i = 0; i < 3; ++i) TEEPNET_RETURN_IF_ERROR(r.SkipItem());
  TEEPNET_ASSIGN_OR_RETURN(cbor::ItemType last, r.PeekType());
  if (last == cbor::ItemType::kBytes) return CoseKind::kSign1;
  if (last == cbor::ItemType::kArray) return CoseKind::kSign;
  return Error(Errc::kNotCose, "fourth member is neither a signature nor signatures", r.offset());
}

// Step 3: "The COSE Header contains only parameters that are understood or that are
// defined to be ignorable."
Status CheckUnderstood(const cose::Headers& headers, const VerifyOptions& options) {
  for (const cose::HeaderMap* bucket : {&headers.protected_map, &headers.unprotected}) {
    for (const cose::HeaderMap::Entry& entry : bucket->entries()) {
      const cose::Label& label = entry.label;
      const bool understood =
          !label.is_text &&
          (label.number == cose::kLabelAlg || label.number == cose::kLabelCrit ||
           label.number == cose::kLabelContentType || label.number == cose::kLabelKid ||
           std::find(options.extra_understood_headers.begin(),
                     options.extra_understood_headers.end(),
                     label.number) != options.extra_understood_headers.end());
      if (!understood) {
        return Error(Errc::kUnknownHeader,
                     "COSE header " +
                         (label.is_text ? "\"" + label.text + "\"" : std::to_string(label.number)) +
                         " is not understood");
      }
    }
  }
  return OkStatus();
}

// The accepted suite whose algorithm is `info`, or kUnsupportedCipherSuite.
Result<CipherSuite> AcceptedSuite(const cose::AlgorithmInfo& info,
                                  const std::vector<CipherSuite>& accepted) {
  for (const CipherSuite& suite : accepted) {
    if (suite.Sign1Alg() == static_cast<int64_t>(info.id)) return suite;
  }
  return Error(Errc::kUnsupportedCipherSuite,
               "signed with " + std::string(info.name) + ", which no accepted suite uses");
}

// Peer keys that may have made a signature with `info` and `kid`.
std::vector<size_t> CandidateKeys(const std::vector<PeerKey>& keys, const cose::AlgorithmInfo& info,
                                  std::optional<ByteView> kid) {
  std::vector<size_t> out;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (!cose::SignatureKeyFits(info, keys[i].key.type())) continue;
    if (kid && keys[i].kid && !Equal(*kid, *keys[i].kid)) continue;
    out.push_back(i);
  }
  return out;
}

Result<VerifiedMessage> DecodePayload(ByteView payload, const WireProfile& profile,
                                      CipherSuite suite, size_t key_index, bool multi) {
  TEEPNET_ASSIGN_OR_RETURN(TeepMessage message, DecodeMessage(payload, profile));
  return VerifiedMessage{std::move(message), std::move(suite), key_index, multi};
}

Result<VerifiedMessage> VerifySign1(ByteView wire, const WireProfile& profile,
                                    const std::vector<PeerKey>& keys,
                                    const std::vector<CipherSuite>& accepted,
                                    const VerifyOptions& options) {
  TEEPNET_ASSIGN_OR_RETURN(cose::Sign1Message msg,
                           cose::Sign1Message::Decode(wire, cose::Tagging::kOptional));
  TEEPNET_RETURN_IF_ERROR(CheckUnderstood(msg.headers(), options));
  TEEPNET_ASSIGN_OR_RETURN(CipherSuite suite, AcceptedSuite(msg.algorithm(), accepted));
  TEEPNET_ASSIGN_OR_RETURN(std::optional<ByteView> kid, msg.headers().Kid());
  const std::vector<size_t> candidates = CandidateKeys(keys, msg.algorithm(), kid);
  if (candidates.empty()) {
    return Error(Errc::kNoTrustedKey, "no peer key for " + std::string(msg.algorithm().name));
  }
  for (size_t index : candidates) {
    auto payload = msg.Verify(keys[index].key);
    if (payload.ok()) return DecodePayload(*payload, profile, std::move(suite), index, false);
    // A detached payload is not a TEEP message: the draft attaches it.
    if (payload.error().Is(cose::Errc::kMissingPayload)) return std::move(payload).TakeError();
  }
  return Error(Errc::kSignatureInvalid, "COSE_Sign1 signature does not verify");
}

Result<VerifiedMessage> VerifySign(ByteView wire, const WireProfile& profile,
                                   const std::vector<PeerKey>& keys,
                                   const std::vector<CipherSuite>& accepted,
                                   const VerifyOptions& options) {
  TEEPNET_ASSIGN_OR_RETURN(cose::SignMessage msg,
                           cose::SignMessage::Decode(wire, cose::Tagging::kOptional));
  TEEPNET_RETURN_IF_ERROR(CheckUnderstood(msg.headers(), options));
  for (const cose::Signer& signer : msg.signers()) {
    TEEPNET_RETURN_IF_ERROR(CheckUnderstood(signer.headers, options));
  }
  // Signers with algorithms we do not accept are skipped: they are for other Agents.
  bool any_accepted = false;
  bool any_candidate = false;
  for (size_t s = 0; s < msg.signers().size(); ++s) {
    const cose::Signer& signer = msg.signers()[s];
    auto suite = AcceptedSuite(*signer.alg, accepted);
    if (!suite.ok()) continue;
    any_accepted = true;
    TEEPNET_ASSIGN_OR_RETURN(std::optional<ByteView> kid, signer.headers.Kid());
    for (size_t index : CandidateKeys(keys, *signer.alg, kid)) {
      any_candidate = true;
      auto payload = msg.VerifySigner(s, keys[index].key);
      if (payload.ok()) return DecodePayload(*payload, profile, std::move(*suite), index, true);
      if (payload.error().Is(cose::Errc::kMissingPayload)) return std::move(payload).TakeError();
    }
  }
  if (!any_accepted) {
    return Error(Errc::kUnsupportedCipherSuite, "no COSE_Sign signer uses an accepted suite");
  }
  if (!any_candidate) return Error(Errc::kNoTrustedKey, "no peer key for any COSE_Sign signer");
  return Error(Errc::kSignatureInvalid, "no COSE_Sign signature verifies");
}

}  // namespace

Result<Bytes> SignPayload(ByteView payload, const SigningKey& key) {
  TEEPNET_ASSIGN_OR_RETURN(const cose::AlgorithmInfo* info, SuiteAlgorithm(key.suite));
  cose::Sign1Options options;
  options.alg = info->id;
  options.protected_headers = ProtectedHeaders(*info, key);
  options.tagged = true;
  return cose::CreateSign1(key.key, payload, options);
}

Result<Bytes> SignMessage(const TeepMessage& message, const WireProfile& profile,
                          const SigningKey& key, const EncodeOptions& options) {
  TEEPNET_ASSIGN_OR_RETURN(Bytes payload, EncodeMessage(message, profile, options));
  return SignPayload(payload, key);
}

Result<Bytes> SignMessageMulti(const TeepMessage& message, const WireProfile& profile,
                               const std::vector<SigningKey>& keys, const EncodeOptions& options) {
  if (keys.empty()) return Error(Errc::kUnsupportedCipherSuite, "COSE_Sign needs a signer");
  TEEPNET_ASSIGN_OR_RETURN(Bytes payload, EncodeMessage(message, profile, options));
  std::vector<cose::SignerSpec> signers;
  signers.reserve(keys.size());
  for (const SigningKey& key : keys) {
    TEEPNET_ASSIGN_OR_RETURN(const cose::AlgorithmInfo* info, SuiteAlgorithm(key.suite));
    cose::SignerSpec spec;
    spec.key = &key.key;
    spec.alg = info->id;
    spec.protected_headers = ProtectedHeaders(*info, key);
    signers.push_back(std::move(spec));
  }
  cose::SignOptions sign_options;
  sign_options.tagged = true;
  return cose::CreateSign(payload, sign_options, signers);
}

Result<VerifiedMessage> VerifyMessage(ByteView wire, const WireProfile& profile,
                                      const std::vector<PeerKey>& peer_keys,
                                      const VerifyOptions& options) {
  // Step 1: well-formed CBOR, one item, nothing after it.
  {
    cbor::Reader r(wire, cose::MessageDecodeOptions());
    TEEPNET_RETURN_IF_ERROR(r.SkipItem());
    TEEPNET_RETURN_IF_ERROR(r.ExpectEnd());
  }
  // Step 2.
  TEEPNET_ASSIGN_OR_RETURN(CoseKind kind, ClassifyCose(wire));
  const std::vector<CipherSuite> accepted =
      options.accepted_suites.empty() ? profile.CipherSuites() : options.accepted_suites;
  // Steps 3-5.
  if (kind == CoseKind::kSign1) return VerifySign1(wire, profile, peer_keys, accepted, options);
  return VerifySign(wire, profile, peer_keys, accepted, options);
}

}  // namespace teepnet::teep
