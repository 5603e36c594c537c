#include "teepnet/attest/dcap_collateral.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "teepnet/attest/errc.h"
#include "teepnet/base/hex.h"

namespace teepnet::attest {

namespace {

using nlohmann::json;

constexpr size_t kMaxTcbLevels = 256;
constexpr size_t kMaxAdvisories = 256;

Error Bad(std::string_view what) {
  return Error(Errc::kDcapBadCollateralJson, "collateral: " + std::string(what));
}

// Type-checked accessors: nlohmann would throw on a type mismatch, and nothing here throws.
Result<const json*> Member(const json& obj, const char* name) {
  if (!obj.is_object()) return Bad(std::string("not an object where \"") + name + "\" belongs");
  auto it = obj.find(name);
  if (it == obj.end()) return Bad(std::string("missing \"") + name + "\"");
  return &*it;
}

Result<uint64_t> Unsigned(const json& obj, const char* name, uint64_t max) {
  TEEPNET_ASSIGN_OR_RETURN(const json* v, Member(obj, name));
  if (!v->is_number_unsigned() || v->get<uint64_t>() > max) {
    return Bad(std::string("\"") + name + "\" is not an unsigned integer in range");
  }
  return v->get<uint64_t>();
}

Result<std::string> Text(const json& obj, const char* name) {
  TEEPNET_ASSIGN_OR_RETURN(const json* v, Member(obj, name));
  if (!v->is_string()) return Bad(std::string("\"") + name + "\" is not a string");
  return v->get<std::string>();
}

template <size_t N>
Status HexField(const json& obj, const char* name, std::array<uint8_t, N>& out) {
  TEEPNET_ASSIGN_OR_RETURN(std::string text, Text(obj, name));
  auto bytes = FromHex(text);
  if (!bytes.ok() || bytes->size() != N) {
    return Bad(std::string("\"") + name + "\" is not " + std::to_string(N) + " hex bytes");
  }
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return OkStatus();
}

Result<int64_t> TimeField(const json& obj, const char* name) {
  TEEPNET_ASSIGN_OR_RETURN(std::string text, Text(obj, name));
  auto t = ParseUtcTime(text);
  if (!t.ok()) return Bad(std::string("\"") + name + "\" is not a UTC time");
  return *t;
}

Result<TcbStatus> StatusField(const json& obj) {
  TEEPNET_ASSIGN_OR_RETURN(std::string text, Text(obj, "tcbStatus"));
  auto status = TcbStatusFromName(text);
  if (!status) return Bad("unknown tcbStatus \"" + text + "\"");
  return *status;
}

Result<std::vector<std::string>> Advisories(const json& level) {
  std::vector<std::string> ids;
  auto it = level.find("advisoryIDs");
  if (it == level.end()) return ids;
  if (!it->is_array() || it->size() > kMaxAdvisories) return Bad("advisoryIDs is not an array");
  for (const json& id : *it) {
    if (!id.is_string()) return Bad("advisoryIDs holds a non-string");
    ids.push_back(id.get<std::string>());
  }
  return ids;
}

Result<const json*> Array(const json& obj, const char* name) {
  TEEPNET_ASSIGN_OR_RETURN(const json* v, Member(obj, name));
  if (!v->is_array() || v->size() > kMaxTcbLevels) {
    return Bad(std::string("\"") + name + "\" is not a bounded array");
  }
  return v;
}

// v3 "sgxtcbcomponents" / "tdxtcbcomponents": exactly 16 objects with "svn".
Status Components(const json& tcb, const char* name, std::array<uint8_t, 16>& out) {
  TEEPNET_ASSIGN_OR_RETURN(const json* list, Array(tcb, name));
  if (list->size() != 16) return Bad(std::string("\"") + name + "\" needs 16 components");
  for (size_t i = 0; i < 16; ++i) {
    TEEPNET_ASSIGN_OR_RETURN(uint64_t svn, Unsigned((*list)[i], "svn", 0xff));
    out[i] = static_cast<uint8_t>(svn);
  }
  return OkStatus();
}

Result<TcbLevel> ParseLevel(const json& level, uint32_t version, bool tdx) {
  TcbLevel out;
  TEEPNET_ASSIGN_OR_RETURN(const json* tcb, Member(level, "tcb"));
  if (version >= 3) {
    TEEPNET_RETURN_IF_ERROR(Components(*tcb, "sgxtcbcomponents", out.sgx_components));
    if (tdx) {
      TEEPNET_RETURN_IF_ERROR(Components(*tcb, "tdxtcbcomponents", out.tdx_components));
      out.has_tdx_components = true;
    }
  } else {
    // v2: sgxtcbcomp01svn .. sgxtcbcomp16svn.
    for (int i = 0; i < 16; ++i) {
      char name[32];
      std::snprintf(name, sizeof(name), "sgxtcbcomp%02dsvn", i + 1);
      TEEPNET_ASSIGN_OR_RETURN(uint64_t svn, Unsigned(*tcb, name, 0xff));
      out.sgx_components[static_cast<size_t>(i)] = static_cast<uint8_t>(svn);
    }
  }
  TEEPNET_ASSIGN_OR_RETURN(uint64_t pcesvn, Unsigned(*tcb, "pcesvn", 0xffff));
  out.pcesvn = static_cast<uint16_t>(pcesvn);
  TEEPNET_ASSIGN_OR_RETURN(out.tcb_date, TimeField(level, "tcbDate"));
  TEEPNET_ASSIGN_OR_RETURN(out.status, StatusField(level));
  TEEPNET_ASSIGN_OR_RETURN(out.advisory_ids, Advisories(level));
  return out;
}

Result<TdxModuleIdentity> ParseModule(const json& obj, bool with_levels) {
  TdxModuleIdentity m;
  if (with_levels) {
    TEEPNET_ASSIGN_OR_RETURN(m.id, Text(obj, "id"));
  }
  TEEPNET_RETURN_IF_ERROR(HexField(obj, "mrsigner", m.mrsigner));
  TEEPNET_RETURN_IF_ERROR(HexField(obj, "attributes", m.attributes));
  TEEPNET_RETURN_IF_ERROR(HexField(obj, "attributesMask", m.attributes_mask));
  if (!with_levels) return m;
  TEEPNET_ASSIGN_OR_RETURN(const json* levels, Array(obj, "tcbLevels"));
  for (const json& level : *levels) {
    TdxModuleIdentity::Level l;
    TEEPNET_ASSIGN_OR_RETURN(const json* tcb, Member(level, "tcb"));
    TEEPNET_ASSIGN_OR_RETURN(uint64_t isvsvn, Unsigned(*tcb, "isvsvn", 0xff));
    l.isvsvn = static_cast<uint8_t>(isvsvn);
    TEEPNET_ASSIGN_OR_RETURN(l.status, StatusField(level));
    TEEPNET_ASSIGN_OR_RETURN(l.advisory_ids, Advisories(level));
    m.levels.push_back(std::move(l));
  }
  return m;
}

Result<json> ParseObject(ByteView value) {
  json doc = json::parse(value.begin(), value.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return Bad("value is not a JSON object");
  return doc;
}

}  // namespace

std::string_view TcbStatusName(TcbStatus status) {
  switch (status) {
    case TcbStatus::kUpToDate: return "UpToDate";
    case TcbStatus::kSwHardeningNeeded: return "SWHardeningNeeded";
    case TcbStatus::kConfigurationNeeded: return "ConfigurationNeeded";
    case TcbStatus::kConfigurationAndSwHardeningNeeded: return "ConfigurationAndSWHardeningNeeded";
    case TcbStatus::kOutOfDate: return "OutOfDate";
    case TcbStatus::kOutOfDateConfigurationNeeded: return "OutOfDateConfigurationNeeded";
    case TcbStatus::kRevoked: return "Revoked";
  }
  return "Revoked";
}

std::optional<TcbStatus> TcbStatusFromName(std::string_view name) {
  for (int i = 0; i <= static_cast<int>(TcbStatus::kRevoked); ++i) {
    auto s = static_cast<TcbStatus>(i);
    if (TcbStatusName(s) == name) return s;
  }
  return std::nullopt;
}

Result<int64_t> ParseUtcTime(std::string_view t) {
  // YYYY-MM-DDTHH:MM:SSZ, exactly 20 characters.
  auto digits = [&](size_t at, size_t n, int* out) {
    int v = 0;
    for (size_t i = at; i < at + n; ++i) {
      if (t[i] < '0' || t[i] > '9') return false;
      v = v * 10 + (t[i] - '0');
    }
    *out = v;
    return true;
  };
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (t.size() != 20 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' ||
      t[16] != ':' || t[19] != 'Z' || !digits(0, 4, &y) || !digits(5, 2, &mo) ||
      !digits(8, 2, &d) || !digits(11, 2, &h) || !digits(14, 2, &mi) || !digits(17, 2, &s) ||
      mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) {
    return Error(Errc::kDcapBadCollateralJson, "not a UTC time: " + std::string(t));
  }
  // Days from civil (proleptic Gregorian), after H. Hinnant's public-domain algorithm.
  int yy = y - (mo <= 2 ? 1 : 0);
  int era = yy / 400;
  int yoe = yy - era * 400;
  int doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  int64_t days = static_cast<int64_t>(era) * 146097 + doe - 719468;
  return days * 86400 + h * 3600 + mi * 60 + s;
}

Result<TcbInfo> ParseTcbInfo(ByteView value) {
  TEEPNET_ASSIGN_OR_RETURN(json doc, ParseObject(value));
  TcbInfo info;
  TEEPNET_ASSIGN_OR_RETURN(uint64_t version, Unsigned(doc, "version", 3));
  if (version < 2) return Bad("tcbInfo version below 2");
  info.version = static_cast<uint32_t>(version);
  if (info.version >= 3) {
    TEEPNET_ASSIGN_OR_RETURN(info.id, Text(doc, "id"));
    if (info.id != "SGX" && info.id != "TDX") return Bad("tcbInfo id is neither SGX nor TDX");
  } else {
    info.id = "SGX";
  }
  info.is_tdx = info.id == "TDX";
  TEEPNET_ASSIGN_OR_RETURN(info.issue_date, TimeField(doc, "issueDate"));
  TEEPNET_ASSIGN_OR_RETURN(info.next_update, TimeField(doc, "nextUpdate"));
  TEEPNET_RETURN_IF_ERROR(HexField(doc, "fmspc", info.fmspc));
  TEEPNET_RETURN_IF_ERROR(HexField(doc, "pceId", info.pce_id));
  TEEPNET_ASSIGN_OR_RETURN(uint64_t eval, Unsigned(doc, "tcbEvaluationDataNumber", 0xffffffff));
  info.tcb_evaluation_data_number = static_cast<uint32_t>(eval);
  if (info.is_tdx) {
    TEEPNET_ASSIGN_OR_RETURN(const json* module, Member(doc, "tdxModule"));
    TEEPNET_ASSIGN_OR_RETURN(info.tdx_module, ParseModule(*module, false));
    if (doc.contains("tdxModuleIdentities")) {
      TEEPNET_ASSIGN_OR_RETURN(const json* ids, Array(doc, "tdxModuleIdentities"));
      for (const json& id : *ids) {
        TEEPNET_ASSIGN_OR_RETURN(auto m, ParseModule(id, true));
        info.tdx_module_identities.push_back(std::move(m));
      }
    }
  }
  TEEPNET_ASSIGN_OR_RETURN(const json* levels, Array(doc, "tcbLevels"));
  for (const json& level : *levels) {
    TEEPNET_ASSIGN_OR_RETURN(TcbLevel l, ParseLevel(level, info.version, info.is_tdx));
    info.levels.push_back(std::move(l));
  }
  return info;
}

Result<QeIdentity> ParseQeIdentity(ByteView value) {
  TEEPNET_ASSIGN_OR_RETURN(json doc, ParseObject(value));
  QeIdentity qe;
  TEEPNET_ASSIGN_OR_RETURN(qe.id, Text(doc, "id"));
  if (qe.id != "QE" && qe.id != "TD_QE") return Bad("enclaveIdentity id is neither QE nor TD_QE");
  TEEPNET_ASSIGN_OR_RETURN(uint64_t version, Unsigned(doc, "version", 2));
  if (version != 2) return Bad("enclaveIdentity version is not 2");
  qe.version = 2;
  TEEPNET_ASSIGN_OR_RETURN(qe.issue_date, TimeField(doc, "issueDate"));
  TEEPNET_ASSIGN_OR_RETURN(qe.next_update, TimeField(doc, "nextUpdate"));
  TEEPNET_ASSIGN_OR_RETURN(uint64_t eval, Unsigned(doc, "tcbEvaluationDataNumber", 0xffffffff));
  qe.tcb_evaluation_data_number = static_cast<uint32_t>(eval);
  std::array<uint8_t, 4> misc{}, misc_mask{};
  TEEPNET_RETURN_IF_ERROR(HexField(doc, "miscselect", misc));
  TEEPNET_RETURN_IF_ERROR(HexField(doc, "miscselectMask", misc_mask));
  // The JSON hex is the big-endian rendering of the 32-bit MISCSELECT value.
  for (uint8_t b : misc) qe.miscselect = (qe.miscselect << 8) | b;
  for (uint8_t b : misc_mask) qe.miscselect_mask = (qe.miscselect_mask << 8) | b;
  TEEPNET_RETURN_IF_ERROR(HexField(doc, "attributes", qe.attributes));
  TEEPNET_RETURN_IF_ERROR(HexField(doc, "attributesMask", qe.attributes_mask));
  TEEPNET_RETURN_IF_ERROR(HexField(doc, "mrsigner", qe.mrsigner));
  TEEPNET_ASSIGN_OR_RETURN(uint64_t prodid, Unsigned(doc, "isvprodid", 0xffff));
  qe.isvprodid = static_cast<uint16_t>(prodid);
  TEEPNET_ASSIGN_OR_RETURN(const json* levels, Array(doc, "tcbLevels"));
  for (const json& level : *levels) {
    QeIdentity::Level l;
    TEEPNET_ASSIGN_OR_RETURN(const json* tcb, Member(level, "tcb"));
    TEEPNET_ASSIGN_OR_RETURN(uint64_t isvsvn, Unsigned(*tcb, "isvsvn", 0xffff));
    l.isvsvn = static_cast<uint16_t>(isvsvn);
    TEEPNET_ASSIGN_OR_RETURN(l.status, StatusField(level));
    TEEPNET_ASSIGN_OR_RETURN(l.advisory_ids, Advisories(level));
    qe.levels.push_back(std::move(l));
  }
  return qe;
}

}  // namespace teepnet::attest
