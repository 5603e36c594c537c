// Which options each TEEP message type defines, in the order its CDDL lists them, and the
// names of its positional members. Shared by the decoders (kFieldNotAllowed), the encoders
// (KeyOrder::kDraftExample) and the naming tables (names.h).
#ifndef TEEPNET_TEEP_MESSAGE_SCHEMA_H_
#define TEEPNET_TEEP_MESSAGE_SCHEMA_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "teepnet/teep/wire_profile.h"

namespace teepnet::teep {

// The options of `type` in CDDL order (token first).
std::span<const Field> OptionFields(MessageType type);
bool AllowsOption(MessageType type, Field field);

// What each one-byte option label (0..23) means in one message type under one profile: the
// Field it names when `type` defines that field, kOptionUnassigned when the profile assigns
// the label to no field (an extension), kOptionDecideSlowly otherwise (a field `type` does
// not define: the caller takes FieldOf and AllowsOption, which name it). One lookup per option
// key instead of those two calls.
inline constexpr uint8_t kOptionUnassigned = 0xff;
inline constexpr uint8_t kOptionDecideSlowly = 0xfe;
using OptionLabelTable = std::array<uint8_t, kMaxOneByteValue + 1>;
// The table of `type` under `profile`; nullptr for a WireProfile object other than
// RfcProfile() and LegacyProfile().
const OptionLabelTable* OptionLabels(const WireProfile& profile, MessageType type);
// Array members: "type", "options", then the positional fields of the type
// (query-request: supported-teep-cipher-suites, supported-suit-cose-profiles,
// data-item-requested; error: err-code).
std::span<const std::string_view> PositionalNames(MessageType type);
// Number of array members (2, 3 or 5).
size_t Arity(MessageType type);

}  // namespace teepnet::teep

#endif  // TEEPNET_TEEP_MESSAGE_SCHEMA_H_
