// deps: teepnet_moc_core
// Fuzzes the failure record verifier (moc/failure_record.h), which the CLI runs on what an
// M/OC answers. The first byte picks the entry point:
//   0: the input as a compact JWS, verified with a key that signed nothing;
//   1: the input as the claims JSON, signed under the record's header with a fixed key, so the
//      claim checks behind the signature are reached.
// Properties: no crash; nothing verifies under a key that signed nothing; a record that
// verifies, issued again, verifies to the same record.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "teepnet/crypto/keys.h"
#include "teepnet/crypto/signature.h"
#include "teepnet/eat/base64url.h"
#include "teepnet/moc/failure_record.h"

using namespace teepnet;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const crypto::PrivateKey kSigner = *crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  static const crypto::PublicKey kStranger =
      crypto::PrivateKey::Generate(crypto::KeyType::kP256)->public_key();
  if (size == 0 || size > moc::kMaxFailureRecordBytes) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  if (data[0] % 2 == 0) {
    if (moc::VerifyFailureRecord(input, kStranger).ok()) abort();
    return 0;
  }
  const std::string header = R"({"alg":"ES256","typ":"teepnet-failure+jwt"})";
  const std::string signing_input =
      eat::Base64UrlEncode(AsBytes(header)) + "." + eat::Base64UrlEncode(AsBytes(input));
  auto sig =
      crypto::Sign(kSigner, crypto::SignatureAlgorithm::kEcdsaSha256, AsBytes(signing_input));
  if (!sig.ok()) abort();
  const std::string jwt = signing_input + "." + eat::Base64UrlEncode(*sig);
  auto record = moc::VerifyFailureRecord(jwt, kSigner.public_key());
  if (!record.ok()) return 0;
  auto again = moc::IssueFailureRecord(*record, kSigner);
  if (!again.ok()) abort();
  auto back = moc::VerifyFailureRecord(*again, kSigner.public_key());
  if (!back.ok() || !(*back == *record)) abort();
  return 0;
}
