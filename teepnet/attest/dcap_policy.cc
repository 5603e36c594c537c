#include "teepnet/attest/dcap_policy.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>

#include "teepnet/attest/errc.h"
#include "teepnet/base/hex.h"

namespace teepnet::attest {

namespace {

using nlohmann::json;

Error Bad(std::string what) {
  return Error(Errc::kBadPolicy, "DCAP policy: " + std::move(what));
}

template <size_t N>
Result<std::array<uint8_t, N>> HexArray(const json& v, std::string_view name) {
  if (!v.is_string()) return Bad(std::string(name) + " is not a hex string");
  auto bytes = FromHex(v.get<std::string>());
  if (!bytes.ok() || bytes->size() != N) {
    return Bad(std::string(name) + " is not " + std::to_string(N) + " hex bytes");
  }
  std::array<uint8_t, N> out{};
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

template <size_t N>
Status HexList(const json& v, std::string_view name, std::vector<std::array<uint8_t, N>>& out) {
  if (!v.is_array()) return Bad(std::string(name) + " is not an array");
  for (const json& item : v) {
    TEEPNET_ASSIGN_OR_RETURN(auto a, HexArray<N>(item, name));
    out.push_back(a);
  }
  return OkStatus();
}

Result<uint16_t> U16(const json& v, std::string_view name) {
  if (!v.is_number_unsigned() || v.get<uint64_t>() > 0xffff) {
    return Bad(std::string(name) + " is not an integer 0..65535");
  }
  return static_cast<uint16_t>(v.get<uint64_t>());
}

Result<bool> Bool(const json& v, std::string_view name) {
  if (!v.is_boolean()) return Bad(std::string(name) + " is not a boolean");
  return v.get<bool>();
}

// Applies a common member; returns false when `key` is not a common member.
Result<bool> Common(const std::string& key, const json& v, DcapCommonPolicy& p) {
  if (key == "accepted_tcb_statuses") {
    if (!v.is_array()) return Bad("accepted_tcb_statuses is not an array");
    p.accepted_tcb_statuses.clear();
    for (const json& s : v) {
      auto status = s.is_string() ? TcbStatusFromName(s.get<std::string>()) : std::nullopt;
      if (!status) return Bad("unknown TCB status in accepted_tcb_statuses");
      if (*status == TcbStatus::kRevoked) return Bad("Revoked can never be accepted");
      p.accepted_tcb_statuses.push_back(*status);
    }
  } else if (key == "allow_debug") {
    TEEPNET_ASSIGN_OR_RETURN(p.allow_debug, Bool(v, key));
  } else if (key == "require_crls") {
    TEEPNET_ASSIGN_OR_RETURN(p.require_crls, Bool(v, key));
  } else if (key == "trailing_bytes") {
    std::string rule = v.is_string() ? v.get<std::string>() : "";
    if (rule == "zero-padding") {
      p.trailing_bytes = TrailingBytesRule::kZeroPadding;
    } else if (rule == "reject") {
      p.trailing_bytes = TrailingBytesRule::kReject;
    } else if (rule == "warn") {
      p.trailing_bytes = TrailingBytesRule::kWarn;
    } else {
      return Bad("trailing_bytes must be \"zero-padding\", \"reject\" or \"warn\"");
    }
  } else if (key == "report_data") {
    TEEPNET_ASSIGN_OR_RETURN(auto rd, HexArray<64>(v, key));
    p.report_data = rd;
  } else {
    return false;
  }
  return true;
}

Result<json> ParseObject(std::string_view text) {
  json doc = json::parse(text.begin(), text.end(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return Bad("not a JSON object");
  return doc;
}

}  // namespace

Result<SgxPolicy> SgxPolicy::FromJson(std::string_view text) {
  TEEPNET_ASSIGN_OR_RETURN(json doc, ParseObject(text));
  SgxPolicy p;
  for (const auto& [key, v] : doc.items()) {
    TEEPNET_ASSIGN_OR_RETURN(bool common, Common(key, v, p.common));
    if (common) continue;
    if (key == "mrenclave") {
      TEEPNET_RETURN_IF_ERROR(HexList(v, key, p.mrenclave));
    } else if (key == "mrsigner") {
      TEEPNET_RETURN_IF_ERROR(HexList(v, key, p.mrsigner));
    } else if (key == "isvprodid") {
      TEEPNET_ASSIGN_OR_RETURN(p.isvprodid, U16(v, key));
    } else if (key == "min_isvsvn") {
      TEEPNET_ASSIGN_OR_RETURN(p.min_isvsvn, U16(v, key));
    } else {
      return Bad("unknown member \"" + key + "\"");
    }
  }
  return p;
}

Result<TdxPolicy> TdxPolicy::FromJson(std::string_view text) {
  TEEPNET_ASSIGN_OR_RETURN(json doc, ParseObject(text));
  TdxPolicy p;
  for (const auto& [key, v] : doc.items()) {
    TEEPNET_ASSIGN_OR_RETURN(bool common, Common(key, v, p.common));
    if (common) continue;
    if (key == "mrtd") {
      TEEPNET_RETURN_IF_ERROR(HexList(v, key, p.mrtd));
    } else if (key.size() == 5 && key.rfind("rtmr", 0) == 0 && key[4] >= '0' && key[4] <= '3') {
      TEEPNET_RETURN_IF_ERROR(HexList(v, key, p.rtmr[static_cast<size_t>(key[4] - '0')]));
    } else if (key == "mrconfigid") {
      TEEPNET_RETURN_IF_ERROR(HexList(v, key, p.mrconfigid));
    } else if (key == "mrowner") {
      TEEPNET_RETURN_IF_ERROR(HexList(v, key, p.mrowner));
    } else if (key == "min_tee_tcb_svn") {
      TEEPNET_ASSIGN_OR_RETURN(auto svn, HexArray<16>(v, key));
      p.min_tee_tcb_svn = svn;
    } else {
      return Bad("unknown member \"" + key + "\"");
    }
  }
  return p;
}

}  // namespace teepnet::attest
