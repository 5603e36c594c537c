// SUIT code points, in one place. Values from draft-ietf-suit-manifest-37 §8 and the IANA
// "SUIT" registries, draft-ietf-suit-trust-domains-11 §9 (5, 15, 18, 24, dependencies,
// commands 7, 8, 11, 19, 33) and draft-ietf-suit-firmware-encryption-24 (parameter 19).
#ifndef TEEPNET_SUIT_IDS_H_
#define TEEPNET_SUIT_IDS_H_

#include <cstdint>
#include <string_view>

namespace teepnet::suit {

// CBOR tag of SUIT_Envelope_Tagged (draft-ietf-suit-manifest-37 §8.2).
inline constexpr uint64_t kEnvelopeTag = 107;

// SUIT_Envelope keys (manifest-37 §8.2, trust-domains-11 §5).
enum class EnvelopeKey : int64_t {
  kDelegation = 1,
  kAuthentication = 2,
  kManifest = 3,
};

// SUIT_Manifest keys (manifest-37 §8.4, trust-domains-11). Severable members (§8.4.11) are
// dependency-resolution, payload-fetch, candidate-verification, install and text.
enum class ManifestKey : int64_t {
  kVersion = 1,
  kSequenceNumber = 2,
  kCommon = 3,
  kReferenceUri = 4,
  kManifestComponentId = 5,
  kValidate = 7,
  kLoad = 8,
  kInvoke = 9,
  kDependencyResolution = 15,
  kPayloadFetch = 16,
  kCandidateVerification = 18,
  kInstall = 20,
  kText = 23,
  kUninstall = 24,
};
std::string_view ManifestKeyName(int64_t key);

// SUIT_Common keys (manifest-37 §8.4.5, trust-domains-11 §6.1).
enum class CommonKey : int64_t { kDependencies = 1, kComponents = 2, kSharedSequence = 4 };

// Commands (manifest-37 §8.4.10, trust-domains-11 §6). Conditions and directives share the
// number space.
enum class Command : int64_t {
  kVendorIdentifier = 1,
  kClassIdentifier = 2,
  kImageMatch = 3,
  kComponentSlot = 5,
  kCheckContent = 6,
  kDependencyIntegrity = 7,
  kIsDependency = 8,
  kProcessDependency = 11,
  kSetComponentIndex = 12,
  kAbort = 14,
  kTryEach = 15,
  kWrite = 18,
  kSetParameters = 19,
  kOverrideParameters = 20,
  kFetch = 21,
  kCopy = 22,
  kInvoke = 23,
  kDeviceIdentifier = 24,
  kSwap = 31,
  kRunSequence = 32,
  kUnlink = 33,
};
std::string_view CommandName(int64_t id);

// SUIT_Parameters keys (manifest-37 §8.4.8, firmware-encryption-24 §5).
enum class Parameter : int64_t {
  kVendorId = 1,
  kClassId = 2,
  kImageDigest = 3,
  kComponentSlot = 5,
  kStrictOrder = 12,
  kSoftFailure = 13,
  kImageSize = 14,
  kContent = 18,
  kEncryptionInfo = 19,
  kUri = 21,
  kSourceComponent = 22,
  kInvokeArgs = 23,
  kDeviceId = 24,
  kFetchArguments = 25,
};

// Reporting policy bits (manifest-37 §8.4.9 SUIT_Rep_Policy).
inline constexpr uint64_t kRecordOnSuccess = 1;
inline constexpr uint64_t kRecordOnFailure = 2;
inline constexpr uint64_t kSysInfoOnSuccess = 4;
inline constexpr uint64_t kSysInfoOnFailure = 8;

// SUIT_Digest algorithms (manifest-37 §8.4.3 / COSE registry).
enum class DigestAlgorithm : int64_t {
  kSha256 = -16,
  kShake128 = -18,
  kSha384 = -43,
  kSha512 = -44,
  kShake256 = -45,
};

}  // namespace teepnet::suit

#endif  // TEEPNET_SUIT_IDS_H_
