// TEEP codec and wrapper costs: decode and encode of each message type without signatures
// (target: QueryResponse decode <= 0.5 us), then sign and verify per suite.
// Messages are the defect-free builder messages (every field populated), RFC numbering.
#include <benchmark/benchmark.h>

#include "teepnet/cbor/reader.h"
#include "teepnet/teep/message.h"
#include "teepnet/teep/secure_message.h"
#include "teepnet/teep/test_message_builder.h"

namespace teepnet::teep {
namespace {

Bytes Wire(MessageType type) {
  return testing::TestMessageBuilder(type, RfcProfile()).Build();
}

void BM_Decode(benchmark::State& state, MessageType type) {
  const Bytes wire = Wire(type);
  for (auto _ : state) {
    auto m = DecodeMessage(wire, RfcProfile());
    if (!m.ok()) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(m);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * wire.size()));
}

void BM_Encode(benchmark::State& state, MessageType type) {
  const TeepMessage m = *DecodeMessage(Wire(type), RfcProfile());
  for (auto _ : state) {
    auto wire = EncodeMessage(m, RfcProfile());
    if (!wire.ok()) state.SkipWithError("encode failed");
    benchmark::DoNotOptimize(wire);
  }
}

// The draft's own QueryResponse example (85 bytes), as in vectors/teep.
void BM_DecodeQueryResponseVector(benchmark::State& state) {
  const Bytes wire = {0x82, 0x02, 0xa4, 0x13, 0x50, 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
                      0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf, 0x05, 0x00, 0x06, 0x40, 0x07,
                      0x81, 0xa2, 0x00, 0x81, 0x4f, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
                      0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x03, 0x58, 0x24, 0x82, 0x2f, 0x58,
                      0x20, 0xa7, 0xfd, 0x65, 0x93, 0xea, 0xc3, 0x2e, 0xb4, 0xbe, 0x57, 0x82, 0x78,
                      0xe6, 0x54, 0x0c, 0x5c, 0x09, 0xcf, 0xd7, 0xd4, 0xd2, 0x34, 0x97, 0x30, 0x54,
                      0x83, 0x3b, 0x2b, 0x93, 0x03, 0x06, 0x09};
  for (auto _ : state) {
    auto m = DecodeQueryResponse(wire, RfcProfile());
    if (!m.ok()) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(m);
  }
}

// What RFC 8949 §4.2.1 key-order checking costs the pull reader per map entry: a sorted map
// of 16 uint pairs read pair by pair with ReadUint, under Strict (no order check) and
// Deterministic options. The difference per pair is the check.
void BM_ReadSortedMap(benchmark::State& state, bool deterministic) {
  Bytes map = {0xb0};
  for (uint8_t key = 0; key < 16; ++key) {
    map.push_back(key);
    map.push_back(0x01);
  }
  const cbor::DecodeOptions options =
      deterministic ? cbor::DecodeOptions::Deterministic() : cbor::DecodeOptions::Strict();
  for (auto _ : state) {
    cbor::Reader r(map, options);
    size_t pairs = 0;
    bool ok = r.ReadMapHeader(&pairs).ok();
    for (size_t i = 0; ok && i < pairs; ++i) {
      uint64_t key = 0, value = 0;
      ok = r.ReadUint(&key).ok() && r.ReadUint(&value).ok();
      benchmark::DoNotOptimize(value);
    }
    if (!ok || !r.ExpectEnd().ok()) state.SkipWithError("read failed");
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * 16));
}

void BM_SignVerify(benchmark::State& state, MessageType type, crypto::KeyType key_type,
                   int64_t alg) {
  auto key = crypto::PrivateKey::Generate(key_type);
  if (!key.ok()) {
    state.SkipWithError("keygen failed");
    return;
  }
  const SigningKey signer{*key, CipherSuite::Sign1(alg), {}};
  const std::vector<PeerKey> peers = {PeerKey{key->public_key(), {}}};
  const TeepMessage m = *DecodeMessage(Wire(type), RfcProfile());
  for (auto _ : state) {
    auto wire = SignMessage(m, RfcProfile(), signer);
    if (!wire.ok()) state.SkipWithError("sign failed");
    auto verified = VerifyMessage(*wire, RfcProfile(), peers);
    if (!verified.ok()) state.SkipWithError("verify failed");
    benchmark::DoNotOptimize(verified);
  }
}

void BM_Verify(benchmark::State& state, crypto::KeyType key_type, int64_t alg) {
  auto key = crypto::PrivateKey::Generate(key_type);
  if (!key.ok()) {
    state.SkipWithError("keygen failed");
    return;
  }
  const std::vector<PeerKey> peers = {PeerKey{key->public_key(), {}}};
  const TeepMessage m = *DecodeMessage(Wire(MessageType::kQueryResponse), RfcProfile());
  const Bytes wire = *SignMessage(m, RfcProfile(), SigningKey{*key, CipherSuite::Sign1(alg), {}});
  for (auto _ : state) {
    auto verified = VerifyMessage(wire, RfcProfile(), peers);
    if (!verified.ok()) state.SkipWithError("verify failed");
    benchmark::DoNotOptimize(verified);
  }
}

BENCHMARK_CAPTURE(BM_Decode, QueryRequest, MessageType::kQueryRequest);
BENCHMARK_CAPTURE(BM_Decode, QueryResponse, MessageType::kQueryResponse);
BENCHMARK_CAPTURE(BM_Decode, Update, MessageType::kUpdate);
BENCHMARK_CAPTURE(BM_Decode, Success, MessageType::kSuccess);
BENCHMARK_CAPTURE(BM_Decode, Error, MessageType::kError);
BENCHMARK(BM_DecodeQueryResponseVector);
BENCHMARK_CAPTURE(BM_ReadSortedMap, Strict, false);
BENCHMARK_CAPTURE(BM_ReadSortedMap, Deterministic, true);
BENCHMARK_CAPTURE(BM_Encode, QueryRequest, MessageType::kQueryRequest);
BENCHMARK_CAPTURE(BM_Encode, QueryResponse, MessageType::kQueryResponse);
BENCHMARK_CAPTURE(BM_Encode, Update, MessageType::kUpdate);
BENCHMARK_CAPTURE(BM_Encode, Success, MessageType::kSuccess);
BENCHMARK_CAPTURE(BM_Encode, Error, MessageType::kError);
BENCHMARK_CAPTURE(BM_SignVerify, QueryRequest_ESP256, MessageType::kQueryRequest,
                  crypto::KeyType::kP256, kAlgESP256);
BENCHMARK_CAPTURE(BM_SignVerify, QueryResponse_ESP256, MessageType::kQueryResponse,
                  crypto::KeyType::kP256, kAlgESP256);
BENCHMARK_CAPTURE(BM_SignVerify, Update_ESP256, MessageType::kUpdate, crypto::KeyType::kP256,
                  kAlgESP256);
BENCHMARK_CAPTURE(BM_SignVerify, Success_ESP256, MessageType::kSuccess, crypto::KeyType::kP256,
                  kAlgESP256);
BENCHMARK_CAPTURE(BM_SignVerify, Error_ESP256, MessageType::kError, crypto::KeyType::kP256,
                  kAlgESP256);
BENCHMARK_CAPTURE(BM_SignVerify, QueryRequest_Ed25519, MessageType::kQueryRequest,
                  crypto::KeyType::kEd25519, kAlgEd25519);
BENCHMARK_CAPTURE(BM_SignVerify, QueryResponse_Ed25519, MessageType::kQueryResponse,
                  crypto::KeyType::kEd25519, kAlgEd25519);
BENCHMARK_CAPTURE(BM_SignVerify, Update_Ed25519, MessageType::kUpdate, crypto::KeyType::kEd25519,
                  kAlgEd25519);
BENCHMARK_CAPTURE(BM_SignVerify, Success_Ed25519, MessageType::kSuccess, crypto::KeyType::kEd25519,
                  kAlgEd25519);
BENCHMARK_CAPTURE(BM_SignVerify, Error_Ed25519, MessageType::kError, crypto::KeyType::kEd25519,
                  kAlgEd25519);
BENCHMARK_CAPTURE(BM_Verify, QueryResponse_ESP256, crypto::KeyType::kP256, kAlgESP256);
BENCHMARK_CAPTURE(BM_Verify, QueryResponse_Ed25519, crypto::KeyType::kEd25519, kAlgEd25519);

}  // namespace
}  // namespace teepnet::teep

BENCHMARK_MAIN();
