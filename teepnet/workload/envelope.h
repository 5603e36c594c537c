// Multi-party workloads (the seed's Appendix B, use case 3): several parties each give a
// confidential TA a private input, and each gets back only the output meant for it.
//
// Every party verifies the M/OC's EAR for the TA instance itself and seals its own input to the
// instance's attested HPKE key (channel::Seal) with its own purpose string, so no party — and
// neither the Network User who posts the PD nor the REE — can read another's input:
//
//   pd       = {1: workload tstr, 2: [+ part], ? 3: bulk bstr}        deterministic CBOR
//   part     = [role tstr, sealed bstr, reply_key bstr / null]
//   sealed   = channel::Seal(input, instance HPKE key, Binding{request, device, instance,
//                                                              "workload/<workload>/<role>"})
//   reply_key= the party's X25519 public key (32 raw bytes); null when it wants no output
//   bulk     = bytes that are already protected end to end (e.g. telemetry under a data key
//              that one part carries), or public
//
// The PD as a whole is sealed once more to the same instance by the poster (the "pd" purpose of
// case 3), which keeps the part list itself private.
//
// The TA answers with a receipt (channel::Receipt) whose `result` field carries
//
//   result   = {+ role tstr => sealed bstr}                                deterministic CBOR
//   sealed   = channel::Seal(output, the role's reply key, Binding{request, device, instance,
//                                                                  "workload-result/<workload>/<role>"})
//
// so the M/OC stores and relays the outputs without being able to read them, and the receipt's
// signature (the instance's attested proof key) binds every output to the attested TA and to the
// exact PD it received.
#ifndef TEEPNET_WORKLOAD_ENVELOPE_H_
#define TEEPNET_WORKLOAD_ENVELOPE_H_

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/base/secret_bytes.h"

namespace teepnet::workload {

inline constexpr size_t kMaxParts = 8;
inline constexpr size_t kMaxNameBytes = 64;  // workload and role names: [a-z0-9-]+
inline constexpr size_t kX25519KeyBytes = 32;
// One party's output, sealed; the whole result map must fit channel::kMaxReceiptResultBytes.
inline constexpr size_t kMaxOutputBytes = size_t{96} << 10;

struct Part {
  std::string role;
  Bytes sealed;
  std::optional<Bytes> reply_key;  // 32 raw X25519 bytes

  friend bool operator==(const Part&, const Part&) = default;
};

struct Envelope {
  std::string workload;
  std::vector<Part> parts;  // roles are unique
  std::optional<Bytes> bulk;

  friend bool operator==(const Envelope&, const Envelope&) = default;
};

// True for a non-empty name of at most kMaxNameBytes of [a-z0-9-].
bool IsValidName(std::string_view name);

// The purpose strings of the channel bindings above.
std::string InputPurpose(std::string_view workload, std::string_view role);
std::string OutputPurpose(std::string_view workload, std::string_view role);

Result<Bytes> EncodeEnvelope(const Envelope& envelope);
// Strict: deterministic CBOR, valid names, unique roles, 1..kMaxParts parts, 32-byte reply keys,
// no trailing bytes (channel::Errc::kMalformed with the offset).
Result<Envelope> DecodeEnvelope(ByteView bytes);

// {role => sealed output}.
Result<Bytes> EncodeResult(const std::map<std::string, Bytes>& sealed_by_role);
Result<std::map<std::string, Bytes>> DecodeResult(ByteView bytes);

}  // namespace teepnet::workload

#endif  // TEEPNET_WORKLOAD_ENVELOPE_H_
