// SUIT costs per TEEP Appendix E envelope (ns/op): structural decode, authentication
// (ECDSA P-256 verify + SHA-256 digest), and the full install procedure against an
// in-memory store. The verify benchmark is the crypto floor the processor sits on.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>

#include "teepnet/base/file.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/suit/authenticator.h"
#include "teepnet/suit/envelope.h"
#include "teepnet/suit/manifest.h"
#include "teepnet/suit/processor.h"

namespace teepnet::suit {
namespace {

std::string VectorsDir() {
  const char* env = std::getenv("TEEPNET_VECTORS");
  return env != nullptr ? env : TEEPNET_DEFAULT_VECTORS;
}

Bytes Load(const std::string& relative) {
  auto bytes = ReadFile(VectorsDir() + "/" + relative);
  if (!bytes.ok()) std::abort();
  return *bytes;
}

struct Fixture {
  Fixture() {
    Bytes pem = Load("suit/manifest-spec/public_key.pem");
    anchors.signing_keys.push_back(*crypto::PublicKey::FromPem(AsChars(pem)));
    Bytes kek = Load("teep/keys/personalization_kek_p256.private.pem");
    keys.private_keys.push_back(*crypto::PrivateKey::FromPem(AsChars(kek)));
    device.vendor_id = {0xc0, 0xdd, 0xd5, 0xf1, 0x52, 0x43, 0x56, 0x60,
                        0x87, 0xdb, 0x4f, 0x5b, 0x0a, 0xa2, 0x6c, 0x2f};
    device.class_ids.push_back({0xdb, 0x42, 0xf7, 0x09, 0x3d, 0x8c, 0x55, 0xba, 0xa8, 0xc5, 0x26,
                                0x5f, 0xc5, 0x82, 0x0f, 0x4e});
    fetcher.Add("https://example.org/8d82573a-926d-4754-9353-32dc29997f74.ta",
                Load("suit/teep-protocol/8d82573a-926d-4754-9353-32dc29997f74.ta"));
    fetcher.Add("https://example.org/8d82573a-926d-4754-9353-32dc29997f74.suit",
                Load("suit/teep-protocol/suit_uri.cbor"));
  }
  TrustAnchors anchors;
  PayloadKeys keys;
  DeviceIdentity device;
  MapFetcher fetcher;
};

Fixture& Shared() {
  static Fixture* f = new Fixture();
  return *f;
}

const char* const kEnvelopes[] = {"suit/teep-protocol/suit_uri.cbor",
                                  "suit/teep-protocol/suit_integrated.cbor",
                                  "suit/teep-protocol/suit_personalization.cbor"};

void BM_Decode(benchmark::State& state) {
  Bytes env = Load(kEnvelopes[state.range(0)]);
  for (auto _ : state) {
    auto e = DecodeEnvelope(env);
    auto m = DecodeManifest(e->manifest);
    benchmark::DoNotOptimize(m);
  }
  state.SetLabel(kEnvelopes[state.range(0)]);
}

void BM_Verify(benchmark::State& state) {
  Bytes env = Load(kEnvelopes[state.range(0)]);
  auto e = DecodeEnvelope(env);
  for (auto _ : state) {
    Status s = AuthenticateEnvelope(*e, Shared().anchors);
    if (!s.ok()) state.SkipWithError("verification failed");
  }
  state.SetLabel(kEnvelopes[state.range(0)]);
}

void BM_Install(benchmark::State& state) {
  Bytes env = Load(kEnvelopes[state.range(0)]);
  Fixture& f = Shared();
  for (auto _ : state) {
    InMemoryComponentStore store;
    Processor p({&f.anchors, &f.keys, &f.device, &store, &f.fetcher, nullptr});
    Report r = p.Install(env);
    if (!r.success) state.SkipWithError("install failed");
  }
  state.SetLabel(kEnvelopes[state.range(0)]);
}

BENCHMARK(BM_Decode)->DenseRange(0, 2);
BENCHMARK(BM_Verify)->DenseRange(0, 2);
BENCHMARK(BM_Install)->DenseRange(0, 2);

}  // namespace
}  // namespace teepnet::suit

BENCHMARK_MAIN();
