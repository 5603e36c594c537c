// A fixed number of in-process TEEP exchanges (the same InProcessExchange as
// teep_exchange_bench), for instruction-count profiles: Google Benchmark picks its own
// iteration count, which makes totals hard to compare, while this runs exactly N.
//
//   valgrind --tool=callgrind
//     --toggle-collect='teepnet::bench::InProcessExchange::Run()'
//     bench/teep_exchange_profile 200
//
// Prints the exchanges run and the signatures counted on each side; exits non-zero on the
// first failed exchange.
#include <cstdio>
#include <cstdlib>

#include "crypto_counter.h"
#include "exchange_kit.h"

int main(int argc, char** argv) {
  using teepnet::bench::InProcessExchange;
  const long n = argc > 1 ? std::strtol(argv[1], nullptr, 10) : 100;
  if (n <= 0) {
    std::fprintf(stderr, "usage: %s [EXCHANGES > 0]\n", argv[0]);
    return 2;
  }
  auto x = InProcessExchange::Create();
  if (!x.ok()) {
    std::fprintf(stderr, "setup failed: %s\n", x.error().ToString().c_str());
    return 1;
  }
  for (long i = 0; i < n; ++i) {
    if (!(*x)->Run()) {
      std::fprintf(stderr, "exchange %ld failed: %s\n", i, (*x)->failure().c_str());
      return 1;
    }
  }
  const auto& tam = (*x)->tam_counts();
  const auto& agent = (*x)->agent_counts();
  std::printf(
      "%llu exchanges; TAM %llu signs %llu verifies; Agent %llu signs %llu verifies%s\n",
      static_cast<unsigned long long>((*x)->exchanges()),
      static_cast<unsigned long long>(tam.signs), static_cast<unsigned long long>(tam.verifies),
      static_cast<unsigned long long>(agent.signs), static_cast<unsigned long long>(agent.verifies),
      teepnet::bench::CryptoCounterActive() ? "" : " (counter not linked in)");
  return 0;
}
