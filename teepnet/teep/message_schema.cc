#include "teepnet/teep/message_schema.h"

#include <algorithm>
#include <array>

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

}  // namespace

std::span<const Field> OptionFields(MessageType type) {
  switch (type) {
    case MessageType::kQueryRequest: return kQueryRequestFields;
    case MessageType::kQueryResponse: return kQueryResponseFields;
    case MessageType::kUpdate: return kUpdateFields;
    case MessageType::kSuccess: return kSuccessFields;
    case MessageType::kError: return kErrorFields;
  }
  return {};
}

bool AllowsOption(MessageType type, Field field) {
  const auto fields = OptionFields(type);
  return std::find(fields.begin(), fields.end(), field) != fields.end();
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

}  // namespace teepnet::teep
