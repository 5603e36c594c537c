#include "services/cli/package_builder.h"

#include "teepnet/cbor/writer.h"
#include "teepnet/cose/sign1.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/suit/digest.h"
#include "teepnet/suit/ids.h"

namespace teepnet::cli {

namespace {

void WriteKey(cbor::Writer& w, suit::Parameter key) {
  w.WriteInt(static_cast<int64_t>(key));
}

void WriteCommand(cbor::Writer& w, suit::Command command) {
  w.WriteInt(static_cast<int64_t>(command));
}

// manifest-37 §8.4.9: report on success and on failure (the Agent's SUIT report says which
// step refused the package).
constexpr uint64_t kReportPolicy = suit::kRecordOnSuccess | suit::kRecordOnFailure;

Bytes InstallSequence(const PackageSpec& spec) {
  cbor::Writer w;
  w.WriteArrayHeader(6);
  WriteCommand(w, suit::Command::kOverrideParameters);
  // Parameter keys ascending (RFC 8949 §4.2.1): image-digest 3, image-size 14, uri 21.
  w.WriteMapHeader(3);
  WriteKey(w, suit::Parameter::kImageDigest);
  w.WriteBytes(suit::EncodeDigest(suit::DigestAlgorithm::kSha256, crypto::Sha256(spec.payload)));
  WriteKey(w, suit::Parameter::kImageSize);
  w.WriteUint(spec.payload.size());
  WriteKey(w, suit::Parameter::kUri);
  w.WriteText(kPayloadKey);
  WriteCommand(w, suit::Command::kFetch);
  w.WriteUint(kReportPolicy);
  // manifest-37 §8.4.10.1: suit-condition-image-match checks the fetched bytes against the
  // digest (and size) set above, before the install commits.
  WriteCommand(w, suit::Command::kImageMatch);
  w.WriteUint(kReportPolicy);
  return std::move(w).Take();
}

Bytes Manifest(const PackageSpec& spec) {
  cbor::Writer common;
  common.WriteMapHeader(1);
  common.WriteUint(static_cast<uint64_t>(suit::CommonKey::kComponents));
  common.WriteArrayHeader(1);
  spec.component.WriteTo(common);

  cbor::Writer m;
  m.WriteMapHeader(5);
  m.WriteUint(static_cast<uint64_t>(suit::ManifestKey::kVersion));
  m.WriteUint(1);
  m.WriteUint(static_cast<uint64_t>(suit::ManifestKey::kSequenceNumber));
  m.WriteUint(spec.sequence_number);
  m.WriteUint(static_cast<uint64_t>(suit::ManifestKey::kCommon));
  m.WriteBytes(common.bytes());
  // trust-domains-11 §5: the manifest-component-id names the manifest in the TEEP Agent's
  // store (and in a later unneeded-manifest-list).
  m.WriteUint(static_cast<uint64_t>(suit::ManifestKey::kManifestComponentId));
  spec.component.WriteTo(m);
  m.WriteUint(static_cast<uint64_t>(suit::ManifestKey::kInstall));
  m.WriteBytes(InstallSequence(spec));
  return std::move(m).Take();
}

}  // namespace

suit::ComponentId PackageComponent(const std::string& name) {
  return suit::MakeComponentId({"TEEP-Device", "SecureFS", name});
}

Result<Bytes> BuildPackage(const PackageSpec& spec, const crypto::PrivateKey& signer) {
  if (spec.payload.empty()) return Error(Code::kInvalidArgument, "the payload is empty");
  if (spec.component.segments.empty()) {
    return Error(Code::kInvalidArgument, "the component identifier is empty");
  }
  cose::Sign1Options options;
  switch (signer.type()) {
    case crypto::KeyType::kP256: options.alg = cose::Algorithm::kESP256; break;
    case crypto::KeyType::kEd25519: options.alg = cose::Algorithm::kEdDSA; break;
    default: return Error(Code::kInvalidArgument, "the signing key must be P-256 or Ed25519");
  }
  cbor::Writer manifest_bstr;
  manifest_bstr.WriteBytes(Manifest(spec));
  // manifest-37 §8.3: the digest covers the manifest member as encoded, bstr head included;
  // the COSE_Sign1 signs that SUIT_Digest as its detached payload.
  const Bytes digest =
      suit::EncodeDigest(suit::DigestAlgorithm::kSha256, crypto::Sha256(manifest_bstr.bytes()));
  options.detached = true;
  TEEPNET_ASSIGN_OR_RETURN(Bytes sign1, cose::CreateSign1(signer, digest, options));
  cbor::Writer auth;
  auth.WriteArrayHeader(2);
  auth.WriteBytes(digest);
  auth.WriteBytes(sign1);

  cbor::Writer env;
  env.WriteTag(suit::kEnvelopeTag);
  // Integer keys first, then the text key (RFC 8949 §4.2.1 bytewise order).
  env.WriteMapHeader(3);
  env.WriteUint(static_cast<uint64_t>(suit::EnvelopeKey::kAuthentication));
  env.WriteBytes(auth.bytes());
  env.WriteUint(static_cast<uint64_t>(suit::EnvelopeKey::kManifest));
  env.WriteRaw(manifest_bstr.bytes());
  env.WriteText(kPayloadKey);
  env.WriteBytes(spec.payload);
  return std::move(env).Take();
}

}  // namespace teepnet::cli
