// deps: teepnet_suit
// Fuzzes the SUIT envelope decoder and the command processor.
//  - decode: DecodeEnvelope, then DecodeManifest on the manifest bytes, never crash;
//  - process: the full install procedure against an in-memory store, an always-empty
//    fetcher and the published example key. In fuzz builds (TEEPNET_FUZZING_BUILD) the trust
//    anchors accept unauthenticated envelopes so inputs reach the manifest parser and every
//    command; in normal builds (corpus replay under ctest) they stop at verification, except
//    for the committed seeds that carry a valid signature.
//  - property: a failed install never commits anything to the store.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "teepnet/base/bytes.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/suit/envelope.h"
#include "teepnet/suit/manifest.h"
#include "teepnet/suit/processor.h"

namespace {

using namespace teepnet;

// The manifest-spec / TEEP Appendix E example signer (public key, from the draft text).
constexpr char kExamplePublicKey[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEhJaBGq4LqqvSYVcYnuzaJr6qi/Eb\n"
    "bz/m4rVlnIXbwK07HypLbAmBMcCjbazR14vTgdzfsJwFLbM5kdtzOLSolg==\n"
    "-----END PUBLIC KEY-----\n";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const crypto::PublicKey* key = [] {
    auto k = crypto::PublicKey::FromPem(kExamplePublicKey);
    if (!k.ok()) abort();
    return new crypto::PublicKey(*k);
  }();
  ByteView input(data, size);
  auto env = suit::DecodeEnvelope(input);
  if (env.ok()) (void)suit::DecodeManifest(env->manifest);

  suit::TrustAnchors anchors;
  anchors.signing_keys.push_back(*key);
#ifdef TEEPNET_FUZZING_BUILD
  anchors.fuzzing_accept_unauthenticated = true;
#endif
  suit::PayloadKeys keys;
  suit::DeviceIdentity device;
  device.vendor_id = Bytes(16, 0xc0);
  device.class_ids.push_back(Bytes(16, 0xdb));
  suit::InMemoryComponentStore store;
  suit::MapFetcher fetcher;
  suit::Processor processor({&anchors, &keys, &device, &store, &fetcher, nullptr});
  suit::Report report = processor.Install(input);
  if (!report.success && store.commits() != 0) abort();
  (void)suit::EncodeReport(report);
  return 0;
}
