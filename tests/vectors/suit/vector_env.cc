#include "vector_env.h"

#include "teepnet/base/hex.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/testing/vectors.h"

namespace teepnet::suit::testing {
namespace {

std::string Text(const std::string& path) {
  Bytes b = teepnet::testing::ReadVectorFile(path);
  return std::string(AsChars(b));
}

}  // namespace

TrustAnchors PublishedAnchors() {
  TrustAnchors anchors;
  anchors.signing_keys.push_back(
      *crypto::PublicKey::FromPem(Text("suit/manifest-spec/public_key.pem")));
  anchors.signing_keys.push_back(
      crypto::PrivateKey::FromPem(Text("suit/firmware-encryption/dependency-signer-private.pem"))
          ->public_key());
  anchors.mac_keys.emplace_back(AsBytes(std::string(32, 'a')));
  return anchors;
}

PayloadKeys PublishedPayloadKeys() {
  PayloadKeys keys;
  keys.key_wrap_keys.emplace_back(AsBytes(std::string(16, 'a')));
  keys.private_keys.push_back(
      *crypto::PrivateKey::FromPem(Text("teep/keys/personalization_kek_p256.private.pem")));
  return keys;
}

DeviceIdentity ManifestSpecDevice() {
  DeviceIdentity d;
  d.vendor_id = teepnet::testing::HexOrDie("fa6b4a53d5ad5fdfbe9de663e4d41ffe");
  d.class_ids.push_back(teepnet::testing::HexOrDie("1492af1425695e48bf429b2d51f2ab45"));
  return d;
}

DeviceIdentity TeepDevice() {
  DeviceIdentity d;
  d.vendor_id = teepnet::testing::HexOrDie("c0ddd5f15243566087db4f5b0aa26c2f");
  d.class_ids.push_back(teepnet::testing::HexOrDie("db42f7093d8c55baa8c5265fc5820f4e"));
  return d;
}

MapFetcher PublishedFetcher(const std::string& envelope_path) {
  MapFetcher f;
  const std::string ta = "suit/teep-protocol/8d82573a-926d-4754-9353-32dc29997f74.ta";
  f.Add("https://example.org/8d82573a-926d-4754-9353-32dc29997f74.ta",
        teepnet::testing::ReadVectorFile(ta));
  // The personalization manifest depends on the TA manifest of Appendix E example 1.
  f.Add("https://example.org/8d82573a-926d-4754-9353-32dc29997f74.suit",
        teepnet::testing::ReadVectorFile(envelope_path.rfind("suit/libcsuit/", 0) == 0
                                             ? "suit/libcsuit/suit_manifest_expU.suit"
                                             : "suit/teep-protocol/suit_uri.cbor"));
  f.Add("http://example.com/dependent.suit",
        teepnet::testing::ReadVectorFile("suit/trust-domains/example0_dependent.cbor"));
  // firmware-encryption-24 fetches its ciphertext from one URI; which file depends on the
  // content cipher of the manifest (the AES-KW manifests use AES-GCM).
  // (libcsuit expAF/AFS wrap the same CEK as the draft; libcsuit's encrypted_image_aes.bin
  // is not the ciphertext they fetch.)
  f.Add("coaps://example.com/encrypted-firmware",
        teepnet::testing::ReadVectorFile(
            "suit/firmware-encryption/encrypted-payload-aes-kw-aes-gcm.bin"));
  // The manifest-spec examples name payloads that were never published and whose digests
  // are placeholders (00112233...): serve stand-in bytes so processing reaches image-match.
  for (const char* uri :
       {"http://example.com/file.bin", "http://example.com/file1.bin",
        "http://example.com/file2.bin", "http://example.com/very/long/path/to/file/file.bin",
        "https://cdn.example/example3.bin"}) {
    f.Add(uri, ToBytes(std::string_view("stand-in for an unpublished payload")));
  }
  return f;
}

}  // namespace teepnet::suit::testing
