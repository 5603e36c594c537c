// Agent-side negotiation of a QueryRequest's offers (draft §"Ciphersuites", §"Freshness
// Mechanisms", §"Version"). Each picks the first offer, in the TAM's order, that the Agent
// supports; on failure the Errc maps to the err-code the Agent answers with
// (agent_error.h), and that Error must carry the Agent's own list.
#ifndef TEEPNET_TEEP_NEGOTIATION_H_
#define TEEPNET_TEEP_NEGOTIATION_H_

#include <cstdint>
#include <vector>

#include "teepnet/base/result.h"
#include "teepnet/teep/cipher_suite.h"

namespace teepnet::teep {

// kNoCommonCipherSuite (-> ERR_UNSUPPORTED_CIPHER_SUITES).
Result<CipherSuite> SelectCipherSuite(const std::vector<CipherSuite>& offered,
                                      const std::vector<CipherSuite>& supported);
// `offered` empty means [0] ("absent ... same as [0]"). kNoCommonVersion
// (-> ERR_UNSUPPORTED_MSG_VERSION).
Result<uint32_t> SelectVersion(const std::vector<uint32_t>& offered,
                               const std::vector<uint32_t>& supported);
// `offered` empty means nonce only. kNoCommonFreshnessMechanism
// (-> ERR_UNSUPPORTED_FRESHNESS_MECHANISMS).
Result<uint64_t> SelectFreshnessMechanism(const std::vector<uint64_t>& offered,
                                          const std::vector<uint64_t>& supported);

}  // namespace teepnet::teep

#endif  // TEEPNET_TEEP_NEGOTIATION_H_
