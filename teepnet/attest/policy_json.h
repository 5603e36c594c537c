// Field readers shared by the per-architecture JSON appraisal policies (snp_policy, csv_policy):
// each refuses a value of the wrong type or size with attest::Errc::kBadPolicy and a message that
// names the policy and the key, so an operator sees exactly which line of the file is wrong.
#ifndef TEEPNET_ATTEST_POLICY_JSON_H_
#define TEEPNET_ATTEST_POLICY_JSON_H_

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet::attest {

class PolicyFields {
 public:
  // `policy_name` prefixes every message ("SNP policy: vmpl must be ...").
  explicit PolicyFields(std::string policy_name) : name_(std::move(policy_name)) {}

  Error Bad(const std::string& what) const;
  // The whole document: a JSON object, or kBadPolicy.
  Result<nlohmann::json> ParseObject(std::string_view text) const;
  // Exactly `size` bytes of hex.
  Result<Bytes> Hex(const nlohmann::json& v, const std::string& key, size_t size) const;
  Result<std::vector<Bytes>> HexList(const nlohmann::json& v, const std::string& key,
                                     size_t size) const;
  Result<bool> Bool(const nlohmann::json& v, const std::string& key) const;
  // An unsigned integer no larger than `max`.
  Result<uint32_t> U32(const nlohmann::json& v, const std::string& key, uint32_t max) const;

 private:
  std::string name_;
};

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_POLICY_JSON_H_
