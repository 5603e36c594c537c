#include "teepnet/teep/message_schema.h"

#include <algorithm>
#include <array>
#include <optional>

namespace teepnet::teep {
namespace {

// draft CDDL: query-request options.
constexpr std::array kQueryRequestFields = {
    Field::kToken,       Field::kSupportedFreshnessMechanisms, Field::kChallenge,
    Field::kVersions,    Field::kAttestationPayloadFormat,     Field::kAttestationPayload,
    Field::kSuitReports,
};
// query-response options.
constexpr std::array kQueryResponseFields = {
    Field::kToken,
    Field::kSelectedVersion,
    Field::kAttestationPayloadFormat,
    Field::kAttestationPayload,
    Field::kSuitReports,
    Field::kTcList,
    Field::kRequestedTcList,
    Field::kUnneededManifestList,
    Field::kExtList,
};
// update options.
constexpr std::array kUpdateFields = {
    Field::kToken,
    Field::kUnneededManifestList,
    Field::kManifestList,
    Field::kAttestationPayloadFormat,
    Field::kAttestationPayload,
    Field::kErrCode,
    Field::kErrMsg,
    Field::kErrLang,
};
// success options.
constexpr std::array kSuccessFields = {Field::kToken, Field::kMsg, Field::kSuitReports};
// error options (err-code itself is positional).
constexpr std::array kErrorFields = {
    Field::kToken,
    Field::kErrMsg,
    Field::kErrLang,
    Field::kSupportedTeepCipherSuites,
    Field::kSupportedFreshnessMechanisms,
    Field::kSupportedSuitCoseProfiles,
    Field::kChallenge,
    Field::kVersions,
    Field::kSuitReports,
};

constexpr std::array<std::string_view, 5> kQueryRequestPositions = {
    "type", "options", "supported-teep-cipher-suites", "supported-suit-cose-profiles",
    "data-item-requested"};
constexpr std::array<std::string_view, 2> kTwoPositions = {"type", "options"};
constexpr std::array<std::string_view, 3> kErrorPositions = {"type", "options", "err-code"};

constexpr std::span<const Field> FieldsOf(MessageType type) {
  switch (type) {
    case MessageType::kQueryRequest: return kQueryRequestFields;
    case MessageType::kQueryResponse: return kQueryResponseFields;
    case MessageType::kUpdate: return kUpdateFields;
    case MessageType::kSuccess: return kSuccessFields;
    case MessageType::kError: return kErrorFields;
  }
  return {};
}

}  // namespace

std::span<const Field> OptionFields(MessageType type) {
  return FieldsOf(type);
}

bool AllowsOption(MessageType type, Field field) {
  // One bit per Field for each message type, from the lists above (checked on every option
  // key a decoder reads).
  static constexpr auto kAllowed = [] {
    std::array<uint32_t, kMessageTypeCount> masks{};
    for (size_t t = 0; t < kMessageTypeCount; ++t) {
      for (Field f : FieldsOf(static_cast<MessageType>(t))) {
        masks[t] |= uint32_t{1} << static_cast<unsigned>(f);
      }
    }
    return masks;
  }();
  static_assert(kFieldCount <= 32);
  const auto t = static_cast<size_t>(type);
  const auto f = static_cast<unsigned>(field);
  return t < kMessageTypeCount && f < kFieldCount && (kAllowed[t] >> f & 1) != 0;
}

std::span<const std::string_view> PositionalNames(MessageType type) {
  switch (type) {
    case MessageType::kQueryRequest: return kQueryRequestPositions;
    case MessageType::kError: return kErrorPositions;
    case MessageType::kQueryResponse:
    case MessageType::kUpdate:
    case MessageType::kSuccess: return kTwoPositions;
  }
  return {};
}

size_t Arity(MessageType type) {
  return PositionalNames(type).size();
}

const OptionLabelTable* OptionLabels(const WireProfile& profile, MessageType type) {
  using Tables = std::array<std::array<OptionLabelTable, kMessageTypeCount>, 2>;
  // Built once from the same FieldOf and AllowsOption the slow path asks.
  static const Tables kTables = [] {
    Tables tables{};
    const WireProfile* profiles[] = {&RfcProfile(), &LegacyProfile()};
    for (size_t p = 0; p < 2; ++p) {
      for (size_t t = 0; t < kMessageTypeCount; ++t) {
        for (uint64_t label = 0; label <= kMaxOneByteValue; ++label) {
          const std::optional<Field> field = profiles[p]->FieldOf(label);
          uint8_t entry = kOptionUnassigned;
          if (field.has_value()) {
            entry = AllowsOption(static_cast<MessageType>(t), *field) ? static_cast<uint8_t>(*field)
                                                                      : kOptionDecideSlowly;
          }
          tables[p][t][label] = entry;
        }
      }
    }
    return tables;
  }();
  static_assert(kFieldCount < kOptionDecideSlowly);
  const auto t = static_cast<size_t>(type);
  if (t >= kMessageTypeCount) return nullptr;
  if (&profile == &RfcProfile()) return &kTables[0][t];
  if (&profile == &LegacyProfile()) return &kTables[1][t];
  return nullptr;
}

}  // namespace teepnet::teep
