// The PCE workload as its TA runs it: both private inputs in, each party's output out.
//
//   provider --topology (codec.h)-->  +-----------+ --provider output--> provider
//   user     --request batch------->  |  pce TA   | --user output------> user
//                                     +-----------+
#ifndef TEEPNET_WORKLOADS_PCE_PCE_H_
#define TEEPNET_WORKLOADS_PCE_PCE_H_

#include <cstdint>
#include <functional>
#include <string_view>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet::workloads::pce {

inline constexpr std::string_view kWorkloadName = "pce";
inline constexpr std::string_view kProviderRole = "provider";
inline constexpr std::string_view kUserRole = "user";

struct EncodedAnswer {
  Bytes user;
  Bytes provider;
};

// Decodes both inputs (strictly), serves the batch (cspf.h, ServeBatch) and encodes each
// party's output. `monotonic_ns` times the computation (graph build and every request, not
// the decoding), which both outputs report as compute_ns.
Result<EncodedAnswer> Run(ByteView topology, ByteView batch,
                          const std::function<uint64_t()>& monotonic_ns);

}  // namespace teepnet::workloads::pce

#endif  // TEEPNET_WORKLOADS_PCE_PCE_H_
