// Intel PCS collateral: TCB Info (v2 and v3, SGX and TDX) and QE Identity (v2), parsed from the
// exact signed JSON value (see dcap_json_span.h). Field names: Intel PCS API v4, "TCB Info V3"
// and "Enclave Identity V2" data models.
#ifndef TEEPNET_ATTEST_DCAP_COLLATERAL_H_
#define TEEPNET_ATTEST_DCAP_COLLATERAL_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet::attest {

// TCB statuses (PCS API v4 "tcbStatus"), best first; kRevoked is never acceptable.
enum class TcbStatus : uint8_t {
  kUpToDate,
  kSwHardeningNeeded,
  kConfigurationNeeded,
  kConfigurationAndSwHardeningNeeded,
  kOutOfDate,
  kOutOfDateConfigurationNeeded,
  kRevoked,
};
std::string_view TcbStatusName(TcbStatus status);  // the PCS spelling, "UpToDate", ...
std::optional<TcbStatus> TcbStatusFromName(std::string_view name);

struct TcbLevel {
  std::array<uint8_t, 16> sgx_components{};
  uint16_t pcesvn = 0;
  bool has_tdx_components = false;
  std::array<uint8_t, 16> tdx_components{};
  int64_t tcb_date = 0;
  TcbStatus status = TcbStatus::kRevoked;
  std::vector<std::string> advisory_ids;
};

struct TdxModuleIdentity {
  std::string id;  // "TDX_01", "TDX_03", ...: the TDX module major version
  std::array<uint8_t, 48> mrsigner{};
  std::array<uint8_t, 8> attributes{};
  std::array<uint8_t, 8> attributes_mask{};
  struct Level {
    uint8_t isvsvn = 0;
    TcbStatus status = TcbStatus::kRevoked;
    std::vector<std::string> advisory_ids;
  };
  std::vector<Level> levels;
};

struct TcbInfo {
  std::string id;  // "SGX" or "TDX" (v3); v2 has no id and is SGX
  uint32_t version = 0;
  int64_t issue_date = 0;
  int64_t next_update = 0;
  std::array<uint8_t, 6> fmspc{};
  std::array<uint8_t, 2> pce_id{};
  uint32_t tcb_evaluation_data_number = 0;
  bool is_tdx = false;
  std::optional<TdxModuleIdentity> tdx_module;  // "tdxModule" (no id, no levels)
  std::vector<TdxModuleIdentity> tdx_module_identities;
  std::vector<TcbLevel> levels;
};

struct QeIdentity {
  std::string id;  // "QE" (SGX) or "TD_QE" (TDX)
  uint32_t version = 0;
  int64_t issue_date = 0;
  int64_t next_update = 0;
  uint32_t tcb_evaluation_data_number = 0;
  uint32_t miscselect = 0;
  uint32_t miscselect_mask = 0;
  std::array<uint8_t, 16> attributes{};
  std::array<uint8_t, 16> attributes_mask{};
  std::array<uint8_t, 32> mrsigner{};
  uint16_t isvprodid = 0;
  struct Level {
    uint16_t isvsvn = 0;
    TcbStatus status = TcbStatus::kRevoked;
    std::vector<std::string> advisory_ids;
  };
  std::vector<Level> levels;
};

// Both fail with attest::Errc::kDcapBadCollateralJson naming the missing or mistyped field.
Result<TcbInfo> ParseTcbInfo(ByteView json_value);
Result<QeIdentity> ParseQeIdentity(ByteView json_value);

// "2025-06-19T10:56:11Z" (RFC 3339, UTC, whole seconds) to Unix seconds.
Result<int64_t> ParseUtcTime(std::string_view text);

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_DCAP_COLLATERAL_H_
