// Full TEEP exchanges in one process (issue 3 item 8): empty POST -> QueryRequest ->
// QueryResponse -> Update -> Success, TAM (in-memory store, one ESP256 key) and Agent
// joined by a BrokerSession with direct calls instead of HTTP. Every exchange installs the
// bench Trusted Component (exchange_kit.h).
//
// Counters per exchange: the signatures and verifications counted on each side
// (crypto_counter.h), the thread CPU time, and the crypto bound computed in the same run:
// crypto_us = signs x bare ES256 sign + verifies x bare ES256 verify (bare OpenSSL, measured
// right after the loop), crypto_share = crypto_us / cpu_us, bound_per_s = 1e6 / crypto_us.
#include <benchmark/benchmark.h>

#include "crypto_counter.h"
#include "exchange_kit.h"

namespace teepnet::bench {
namespace {

void BM_InProcessExchange(benchmark::State& state) {
  auto x = InProcessExchange::Create();
  if (!x.ok()) {
    state.SkipWithError("setup failed");
    return;
  }
  if (!(*x)->Run()) {  // warm-up; also proves the flow before timing it
    state.SkipWithError((*x)->failure().c_str());
    return;
  }
  const CryptoCounts tam_before = (*x)->tam_counts();
  const CryptoCounts agent_before = (*x)->agent_counts();
  const double cpu_start = ThreadCpuMicros();
  for (auto _ : state) {
    if (!(*x)->Run()) {
      state.SkipWithError((*x)->failure().c_str());
      return;
    }
  }
  const double cpu_us = (ThreadCpuMicros() - cpu_start) / static_cast<double>(state.iterations());
  const auto n = static_cast<double>(state.iterations());
  const CryptoCounts tam = (*x)->tam_counts() - tam_before;
  const CryptoCounts agent = (*x)->agent_counts() - agent_before;
  CryptoCounts total = tam;
  total += agent;
  const BareCryptoCost bare = MeasureBareCrypto(0.3);
  const double per_exchange_signs = static_cast<double>(total.signs) / n;
  const double per_exchange_verifies = static_cast<double>(total.verifies) / n;
  const double crypto_us =
      per_exchange_signs * bare.sign_us + per_exchange_verifies * bare.verify_us;
  state.counters["tam_signs"] = static_cast<double>(tam.signs) / n;
  state.counters["tam_verifies"] = static_cast<double>(tam.verifies) / n;
  state.counters["agent_signs"] = static_cast<double>(agent.signs) / n;
  state.counters["agent_verifies"] = static_cast<double>(agent.verifies) / n;
  state.counters["bare_sign_us"] = bare.sign_us;
  state.counters["bare_verify_us"] = bare.verify_us;
  state.counters["cpu_us"] = cpu_us;
  state.counters["crypto_us"] = crypto_us;
  state.counters["crypto_share"] = crypto_us / cpu_us;
  state.counters["bound_per_s"] = 1e6 / crypto_us;
  state.counters["exchanges_per_s"] =
      benchmark::Counter(1, benchmark::Counter::kIsIterationInvariantRate);
  if (!CryptoCounterActive()) state.SkipWithError("signature counter not linked in");
}

BENCHMARK(BM_InProcessExchange)->Unit(benchmark::kMicrosecond)->MinTime(2.0);

}  // namespace
}  // namespace teepnet::bench

BENCHMARK_MAIN();
