// Throughput of the telemetry workload's computation (workloads/telemetry/detection.h): records
// per second through RunDetection (decrypt, decode and validate, featurise, score with the
// vendor's Gaussian mixture) and its parts, side by side in one run with the floor that makes
// the figure meaningful: only AES-256-GCM-decrypting the same chunks, with teepnet's AeadOpen
// and with bare OpenSSL (crypto/bench_baseline.h). Every benchmark reports items_per_second in
// records; the quality of the model on the benchmarked batch is printed once.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

#include "teepnet/crypto/bench_baseline.h"
#include "teepnet/crypto/cipher.h"
#include "teepnet/workloads/telemetry/batch.h"
#include "teepnet/workloads/telemetry/detection.h"
#include "teepnet/workloads/telemetry/model_codec.h"
#include "teepnet/workloads/telemetry/recipe.h"

namespace teepnet::workloads::telemetry {
namespace {

constexpr size_t kRecords = 50000;  // the demo's batch

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "workload_telemetry_bench: %s\n", what);
  std::abort();
}

struct Fixture {
  Model model;
  Bytes model_bytes;
  OperatorKey key;
  SecretBytes key_bytes;
  std::vector<FlowRecord> records;
  Bytes bulk;
  // The same chunk plaintexts sealed under a fixed nonce: the decrypt-only floor.
  std::vector<Bytes> chunk_ciphertexts;
};

const Fixture& Get() {
  static const Fixture* f = [] {
    auto* fx = new Fixture;
    auto model = TrainVendorModel("bench-model", 1, RecipeOptions{});
    if (!model.ok()) Die("training failed");
    fx->model = std::move(model).value();
    fx->model_bytes = *EncodeModel(fx->model);
    fx->key.data_key = SecretBytes(Bytes(kDataKeyBytes, 0x42));
    fx->key.site = "pop-bench";
    fx->key.batch_id = Bytes(kBatchIdBytes, 0x01);
    fx->key_bytes = *EncodeOperatorKey(fx->key);
    GeneratorOptions options;
    options.seed = 2026;
    options.count = kRecords;
    const auto flows = GenerateFlows(options);
    for (const auto& flow : flows) fx->records.push_back(flow.record);
    fx->bulk = *SealBatch(fx->key, fx->records);
    for (size_t i = 0; i < kRecords; i += kDefaultRecordsPerChunk) {
      const size_t n = std::min(kDefaultRecordsPerChunk, kRecords - i);
      const Bytes plaintext = *EncodeRecords(fx->key.site, std::span(fx->records).subspan(i, n));
      fx->chunk_ciphertexts.push_back(*crypto::AeadSeal(crypto::AeadAlgorithm::kAes256Gcm,
                                                        fx->key.data_key.view(), Bytes(12, 0),
                                                        Bytes(40, 0), plaintext));
    }
    const Quality q = Evaluate(fx->model, flows);
    std::fprintf(stderr,
                 "telemetry batch: %zu records, %zu bulk bytes, %zu components; precision %.3f "
                 "recall %.3f F1 %.3f\n",
                 kRecords, fx->bulk.size(), fx->model.components.size(), q.precision(), q.recall(),
                 q.f1());
    return fx;
  }();
  return *f;
}

uint64_t NoClock() {
  return 0;
}

void Done(benchmark::State& state) {
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kRecords));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(Get().bulk.size()));
}

// The TA's whole computation on the batch (model and key decoding included).
void BM_RunDetection(benchmark::State& state) {
  const Fixture& f = Get();
  for (auto _ : state) {
    auto out = RunDetection(f.model_bytes, f.key_bytes.view(), f.bulk, NoClock);
    if (!out.ok()) Die("detection failed");
    benchmark::DoNotOptimize(out->operator_report.data());
  }
  Done(state);
}

// Decrypt, decode and validate only.
void BM_OpenBatch(benchmark::State& state) {
  const Fixture& f = Get();
  for (auto _ : state) {
    auto records = OpenBatch(f.key, f.bulk);
    if (!records.ok()) Die("open failed");
    benchmark::DoNotOptimize(records->data());
  }
  Done(state);
}

// Featurise and score the plaintext records only.
void BM_ScoreOnly(benchmark::State& state) {
  const Fixture& f = Get();
  for (auto _ : state) {
    auto flagged = FlagRecords(f.model, f.records);
    benchmark::DoNotOptimize(flagged.data());
  }
  Done(state);
}

// The floor: AES-256-GCM-decrypting the same chunks with teepnet's AeadOpen ...
void BM_DecryptOnly_Teepnet(benchmark::State& state) {
  const Fixture& f = Get();
  for (auto _ : state) {
    for (const Bytes& c : f.chunk_ciphertexts) {
      auto plain = crypto::AeadOpen(crypto::AeadAlgorithm::kAes256Gcm, f.key.data_key.view(),
                                    Bytes(12, 0), Bytes(40, 0), c);
      if (!plain.ok()) Die("decrypt failed");
      benchmark::DoNotOptimize(plain->view().data());
    }
  }
  Done(state);
}

// ... and with bare OpenSSL.
void BM_DecryptOnly_Bare(benchmark::State& state) {
  const Fixture& f = Get();
  crypto::baseline::BareAead aead(crypto::AeadAlgorithm::kAes256Gcm);
  const Bytes nonce(12, 0);
  const Bytes aad(40, 0);
  Bytes plain;
  for (auto _ : state) {
    for (const Bytes& c : f.chunk_ciphertexts) {
      if (!aead.Open(f.key.data_key.view(), nonce, aad, c, plain)) Die("bare decrypt failed");
      benchmark::DoNotOptimize(plain.data());
    }
  }
  Done(state);
}

BENCHMARK(BM_RunDetection)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_OpenBatch)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ScoreOnly)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DecryptOnly_Teepnet)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DecryptOnly_Bare)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace teepnet::workloads::telemetry

BENCHMARK_MAIN();
