// Human-readable names for TEEP wire numbers, per profile, for `teepnet inspect`, logs and
// error messages. The CLI annotator (services/cli/annotator.h) registers its TEEP context
// from these tables; teepnet/teep cannot depend on services/, so the tables live here.
#ifndef TEEPNET_TEEP_NAMES_H_
#define TEEPNET_TEEP_NAMES_H_

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "teepnet/teep/wire_profile.h"

namespace teepnet::teep {

struct NamedValue {
  uint64_t value;
  std::string_view name;
};

// "token" for label 19 in rfc (20 in legacy); nullopt for an unassigned label.
std::optional<std::string_view> DescribeLabel(const WireProfile& profile, uint64_t label);
// "success" for 4 in rfc (5 in legacy).
std::optional<std::string_view> DescribeMessageType(const WireProfile& profile, uint64_t type);
// "ERR_MANIFEST_PROCESSING_FAILED" for 11 in rfc (17 in legacy).
std::optional<std::string_view> DescribeErrorCode(const WireProfile& profile, uint64_t code);
// Names of the set bits of data-item-requested, e.g. {"attestation", "trusted-components"}.
std::vector<std::string_view> DescribeDataItems(const WireProfile& profile, uint64_t bits);

// Whole tables, ascending by wire value.
std::vector<NamedValue> MessageTypeNames(const WireProfile& profile);
std::vector<NamedValue> LabelNames(const WireProfile& profile);
std::vector<NamedValue> ErrorCodeNames(const WireProfile& profile);
// COSE algorithm names of the profile's suites, e.g. {-9, "ESP256"} (as int64 in `value`).
std::vector<std::pair<int64_t, std::string_view>> SuiteAlgorithmNames(const WireProfile& profile);

}  // namespace teepnet::teep

#endif  // TEEPNET_TEEP_NAMES_H_
