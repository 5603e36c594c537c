// The parties' side of a multi-party workload (envelope.h): seal an input to the attested TA
// instance, open the output the TA sealed back.
#ifndef TEEPNET_WORKLOAD_PARTY_H_
#define TEEPNET_WORKLOAD_PARTY_H_

#include <cstdint>
#include <string_view>

#include "teepnet/base/bytes.h"
#include "teepnet/base/random.h"
#include "teepnet/base/result.h"
#include "teepnet/base/secret_bytes.h"
#include "teepnet/channel/sealed.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/workload/envelope.h"

namespace teepnet::workload {

// Seals `input` for `role` to the instance key the party's own EAR check accepted.
// `pd_binding` is the binding of the case-3 PD (request, device, instance); its purpose is
// replaced by InputPurpose(workload, role). `reply_key` (X25519) receives the role's output;
// nullptr when the role wants none.
Result<Part> SealInput(std::string_view workload, std::string_view role, ByteView input,
                       const crypto::PublicKey& instance_key, const channel::Binding& pd_binding,
                       const crypto::PublicKey* reply_key, int64_t now_unix, Random& random);

// Opens `role`'s output from a verified receipt's result (DecodeResult) with the role's reply
// key. channel::Errc::kMalformed when the result has no output for the role.
Result<SecretBytes> OpenOutput(ByteView receipt_result, std::string_view workload,
                               std::string_view role, const crypto::PrivateKey& reply_key,
                               const channel::Binding& pd_binding, int64_t now_unix);

}  // namespace teepnet::workload

#endif  // TEEPNET_WORKLOAD_PARTY_H_
