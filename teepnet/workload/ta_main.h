// The TA side of a multi-party workload (envelope.h). A workload TA's main is one call:
//
//   int main() {
//     return teepnet::workload::RunWorkloadTa("pce", [](workload::Inputs& in)
//                                                        -> Result<workload::Outputs> {
//       const SecretBytes* topology = in.Get("provider");
//       ...
//       return workload::Outputs{{"user", path_bytes}, {"provider", summary_bytes}};
//     });
//   }
//
// RunWorkloadTa initialises the TA (ta::Init), receives the PD (the sealed form of cases 2 and 3
// only: a workload's inputs are never handed over in plaintext), opens it and every part with
// the instance key, calls `compute`, seals each output to its role's reply key, signs the
// receipt (over the request, the instance, SHA-256 of the whole PD plaintext, the measurement
// and the result) with the instance's proof key and answers the Agent with it.
// Returns the process exit status; failures are printed to stderr without any input bytes.
#ifndef TEEPNET_WORKLOAD_TA_MAIN_H_
#define TEEPNET_WORKLOAD_TA_MAIN_H_

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "teepnet/base/bytes.h"
#include "teepnet/base/random.h"
#include "teepnet/base/result.h"
#include "teepnet/base/secret_bytes.h"
#include "teepnet/runtime/ta_wire.h"

namespace teepnet::workload {

struct Inputs {
  std::string workload;
  std::map<std::string, SecretBytes, std::less<>> by_role;  // opened parts
  std::optional<Bytes> bulk;
  runtime::DeliveryContext context;

  // The opened input of `role`, or nullptr when no such part came.
  const SecretBytes* Get(std::string_view role) const;
  // True when `role` sent a reply key, i.e. may be given an output.
  bool WantsOutput(std::string_view role) const;

  std::set<std::string, std::less<>> wants_output;
};

// role => plaintext output. Only roles that sent a reply key may get one; each at most
// kMaxOutputBytes.
using Outputs = std::map<std::string, Bytes>;
using Compute = std::function<Result<Outputs>(Inputs&)>;

int RunWorkloadTa(std::string_view workload, const Compute& compute);

// The core of RunWorkloadTa without the channel, for tests: returns the signed receipt.
Result<Bytes> ProcessSealedPd(std::string_view workload, ByteView sealed, ByteView hpke_private_key,
                              ByteView proof_private_key, const runtime::DeliveryContext& context,
                              const Compute& compute, int64_t now_unix, Random& random);

}  // namespace teepnet::workload

#endif  // TEEPNET_WORKLOAD_TA_MAIN_H_
