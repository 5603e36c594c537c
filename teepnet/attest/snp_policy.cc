#include "teepnet/attest/snp_policy.h"

#include <nlohmann/json.hpp>
#include <string>

#include "teepnet/attest/errc.h"
#include "teepnet/attest/policy_json.h"
#include "teepnet/base/hex.h"

namespace teepnet::attest {
namespace {

using Json = nlohmann::json;

const PolicyFields& Fields() {
  static const PolicyFields fields("SNP policy");
  return fields;
}

Error Bad(const std::string& what) {
  return Fields().Bad(what);
}

Result<SnpTcb> TcbField(const Json& v) {
  if (!v.is_object()) return Bad("min_tcb must be an object");
  SnpTcb t;
  for (const auto& [key, value] : v.items()) {
    TEEPNET_ASSIGN_OR_RETURN(uint32_t n, Fields().U32(value, "min_tcb." + key, 255));
    const auto b = static_cast<uint8_t>(n);
    if (key == "bl") {
      t.boot_loader = b;
    } else if (key == "tee") {
      t.tee = b;
    } else if (key == "snp") {
      t.snp = b;
    } else if (key == "ucode") {
      t.microcode = b;
    } else if (key == "fmc") {
      t.fmc = b;
    } else {
      return Bad("unknown key min_tcb." + key);
    }
  }
  return t;
}

Status ApplySigners(const Json& v, SnpPolicy& p) {
  if (!v.is_array()) return Bad("signers must be an array");
  p.allow_vcek = false;
  p.allow_vlek = false;
  for (const Json& s : v) {
    if (s == "vcek") {
      p.allow_vcek = true;
    } else if (s == "vlek") {
      p.allow_vlek = true;
    } else {
      return Bad("signers entries are \"vcek\" or \"vlek\"");
    }
  }
  return OkStatus();
}

Status ApplyKey(const std::string& key, const Json& v, SnpPolicy& p) {
  if (key == "allow_debug") {
    TEEPNET_ASSIGN_OR_RETURN(p.allow_debug, Fields().Bool(v, key));
  } else if (key == "allow_migration_agent") {
    TEEPNET_ASSIGN_OR_RETURN(p.allow_migration_agent, Fields().Bool(v, key));
  } else if (key == "allow_smt") {
    TEEPNET_ASSIGN_OR_RETURN(p.allow_smt, Fields().Bool(v, key));
  } else if (key == "vmpl") {
    TEEPNET_ASSIGN_OR_RETURN(p.vmpl, Fields().U32(v, key, 3));
  } else if (key == "measurements") {
    TEEPNET_ASSIGN_OR_RETURN(p.measurements, Fields().HexList(v, key, 48));
  } else if (key == "host_data") {
    TEEPNET_ASSIGN_OR_RETURN(p.host_data, Fields().Hex(v, key, 32));
  } else if (key == "id_key_digests") {
    TEEPNET_ASSIGN_OR_RETURN(p.id_key_digests, Fields().HexList(v, key, 48));
  } else if (key == "report_data") {
    TEEPNET_ASSIGN_OR_RETURN(p.report_data, Fields().Hex(v, key, 64));
  } else if (key == "min_guest_svn") {
    TEEPNET_ASSIGN_OR_RETURN(p.min_guest_svn, Fields().U32(v, key, UINT32_MAX));
  } else if (key == "min_tcb") {
    TEEPNET_ASSIGN_OR_RETURN(p.min_tcb, TcbField(v));
  } else if (key == "signers") {
    TEEPNET_RETURN_IF_ERROR(ApplySigners(v, p));
  } else if (key == "product") {
    if (!v.is_string()) return Bad("product must be a string");
    p.product = SnpProductFromName(v.get<std::string>());
    if (p.product == SnpProduct::kUnknown) return Bad("product must be Milan, Genoa or Turin");
  } else {
    return Bad("unknown key " + key);
  }
  return OkStatus();
}

}  // namespace

Result<SnpPolicy> SnpPolicy::FromJson(std::string_view json) {
  TEEPNET_ASSIGN_OR_RETURN(Json doc, Fields().ParseObject(json));
  SnpPolicy p;
  for (const auto& [key, value] : doc.items()) TEEPNET_RETURN_IF_ERROR(ApplyKey(key, value, p));
  return p;
}

}  // namespace teepnet::attest
