// The published keys, device identities and URI map that the SUIT vectors need
// (shared/vectors/suit/README.md, shared/vectors/teep/README.md).
#ifndef TEEPNET_TESTS_VECTORS_SUIT_VECTOR_ENV_H_
#define TEEPNET_TESTS_VECTORS_SUIT_VECTOR_ENV_H_

#include <string>

#include "teepnet/suit/authenticator.h"
#include "teepnet/suit/encryption.h"
#include "teepnet/suit/environment.h"

namespace teepnet::suit::testing {

// The manifest-spec / libcsuit example key (P-256), the dependency signer of
// firmware-encryption (= libcsuit delegated_authority), and the HMAC key 32 x 'a'.
TrustAnchors PublishedAnchors();
// The A128KW KEK 16 x 'a' and the P-256 ES-DH receiver key (d = 60FE6DD6..., the same in
// firmware-encryption-24, libcsuit and TEEP Appendix E).
PayloadKeys PublishedPayloadKeys();
// Vendor/class UUIDs of the manifest-spec examples (fa6b4a53... / 1492af14...).
DeviceIdentity ManifestSpecDevice();
// Vendor/class UUIDs of the TEEP Appendix E examples (c0ddd5f1... / db42f709...).
DeviceIdentity TeepDevice();
// Every URI the published manifests fetch, resolved to the published payload files. URIs
// whose payloads were never published (manifest-spec file.bin ...) map to nothing.
MapFetcher PublishedFetcher(const std::string& envelope_path);

}  // namespace teepnet::suit::testing

#endif  // TEEPNET_TESTS_VECTORS_SUIT_VECTOR_ENV_H_
