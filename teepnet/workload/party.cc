#include "teepnet/workload/party.h"

#include <string>
#include <utility>

#include "teepnet/channel/errc.h"
#include "teepnet/channel/replay_guard.h"

namespace teepnet::workload {
namespace {

channel::Binding WithPurpose(const channel::Binding& pd_binding, std::string purpose) {
  channel::Binding b = pd_binding;
  b.purpose = std::move(purpose);
  return b;
}

}  // namespace

Result<Part> SealInput(std::string_view workload, std::string_view role, ByteView input,
                       const crypto::PublicKey& instance_key, const channel::Binding& pd_binding,
                       const crypto::PublicKey* reply_key, int64_t now_unix, Random& random) {
  if (!IsValidName(workload) || !IsValidName(role)) {
    return Error(channel::Errc::kMalformed, "workload: invalid workload or role name");
  }
  Part part;
  part.role = std::string(role);
  if (reply_key != nullptr) {
    if (reply_key->type() != crypto::KeyType::kX25519) {
      return Error(channel::Errc::kMalformed, "workload: a reply key is an X25519 key");
    }
    part.reply_key = reply_key->RawPublic();
  }
  TEEPNET_ASSIGN_OR_RETURN(
      part.sealed,
      channel::Seal(instance_key, input, WithPurpose(pd_binding, InputPurpose(workload, role)),
                    now_unix, random));
  return part;
}

Result<SecretBytes> OpenOutput(ByteView receipt_result, std::string_view workload,
                               std::string_view role, const crypto::PrivateKey& reply_key,
                               const channel::Binding& pd_binding, int64_t now_unix) {
  TEEPNET_ASSIGN_OR_RETURN(auto outputs, DecodeResult(receipt_result));
  auto it = outputs.find(std::string(role));
  if (it == outputs.end()) {
    return Error(channel::Errc::kMalformed,
                 "workload: the result carries no output for " + std::string(role));
  }
  channel::OpenPolicy policy;
  policy.now_unix = now_unix;
  // Each output is opened once by its party; a guard of one entry is all this call needs (the
  // binding already ties the output to this request and role).
  channel::InMemoryReplayGuard guard(1);
  TEEPNET_ASSIGN_OR_RETURN(
      channel::Opened opened,
      channel::Open(it->second, reply_key, WithPurpose(pd_binding, OutputPurpose(workload, role)),
                    policy, guard));
  return std::move(opened.content);
}

}  // namespace teepnet::workload
