#include "teepnet/attest/dcap_tcb.h"

#include <cstdio>

namespace teepnet::attest {

namespace {

template <size_t N>
bool MaskedEqual(const std::array<uint8_t, N>& value, const std::array<uint8_t, N>& mask,
                 const std::array<uint8_t, N>& expected) {
  for (size_t i = 0; i < N; ++i) {
    if ((value[i] & mask[i]) != expected[i]) return false;
  }
  return true;
}

TcbMatch NoMatch(std::string why) {
  TcbMatch m;
  m.why = std::move(why);
  return m;
}

}  // namespace

TcbMatch MatchPlatformTcb(const TcbInfo& info, const PckExtension& pck, const TdReportBody* td) {
  // With a TDX module version > 0, TEE_TCB_SVN[0..1] are the module's SVN and version, which
  // the module identity judges; only bytes 2..15 are compared with tdxtcbcomponents.
  size_t tdx_from = (td != nullptr && td->tee_tcb_svn[1] > 0) ? 2 : 0;
  for (const TcbLevel& level : info.levels) {
    bool ok = pck.pcesvn >= level.pcesvn;
    for (size_t i = 0; ok && i < 16; ++i) ok = pck.comp_svn[i] >= level.sgx_components[i];
    if (td != nullptr) {
      if (!level.has_tdx_components) continue;
      for (size_t i = tdx_from; ok && i < 16; ++i) {
        ok = td->tee_tcb_svn[i] >= level.tdx_components[i];
      }
    }
    if (!ok) continue;
    TcbMatch m;
    m.status = level.status;
    m.advisory_ids = level.advisory_ids;
    return m;
  }
  return NoMatch("no TCB level of the TCB Info is met by the platform's SVNs");
}

TcbMatch MatchTdxModule(const TcbInfo& info, const TdReportBody& td) {
  uint8_t version = td.tee_tcb_svn[1];
  if (version == 0) {
    if (!info.tdx_module) return NoMatch("TCB Info has no tdxModule");
    const auto& m = *info.tdx_module;
    if (!Equal(m.mrsigner, td.mrsignerseam) ||
        !MaskedEqual(td.seam_attributes, m.attributes_mask, m.attributes)) {
      return NoMatch("MRSIGNERSEAM or SEAM attributes do not match tdxModule");
    }
    TcbMatch ok;
    ok.status = TcbStatus::kUpToDate;
    return ok;
  }
  char id[16];
  std::snprintf(id, sizeof(id), "TDX_%02X", version);
  for (const TdxModuleIdentity& m : info.tdx_module_identities) {
    if (m.id != id) continue;
    if (!Equal(m.mrsigner, td.mrsignerseam) ||
        !MaskedEqual(td.seam_attributes, m.attributes_mask, m.attributes)) {
      return NoMatch(std::string("MRSIGNERSEAM or SEAM attributes do not match ") + id);
    }
    for (const auto& level : m.levels) {
      if (td.tee_tcb_svn[0] < level.isvsvn) continue;
      TcbMatch match;
      match.status = level.status;
      match.advisory_ids = level.advisory_ids;
      return match;
    }
    return NoMatch(std::string("TDX module SVN below every level of ") + id);
  }
  return NoMatch(std::string("TCB Info has no module identity ") + id);
}

TcbMatch MatchQeIdentity(const QeIdentity& qe, const SgxReportBody& report) {
  if (!Equal(qe.mrsigner, report.mrsigner)) return NoMatch("QE MRSIGNER is not the QE identity's");
  if (qe.isvprodid != report.isvprodid) return NoMatch("QE ISVPRODID is not the QE identity's");
  if ((report.miscselect & qe.miscselect_mask) != qe.miscselect) {
    return NoMatch("QE MISCSELECT does not match under the mask");
  }
  if (!MaskedEqual(report.attributes, qe.attributes_mask, qe.attributes)) {
    return NoMatch("QE ATTRIBUTES do not match under the mask");
  }
  for (const auto& level : qe.levels) {
    if (report.isvsvn < level.isvsvn) continue;
    TcbMatch m;
    m.status = level.status;
    m.advisory_ids = level.advisory_ids;
    return m;
  }
  return NoMatch("QE ISVSVN below every QE identity level");
}

TcbStatus CombineTcbStatus(TcbStatus platform, TcbStatus other) {
  if (platform == TcbStatus::kRevoked || other == TcbStatus::kRevoked) return TcbStatus::kRevoked;
  if (other == TcbStatus::kOutOfDate || other == TcbStatus::kOutOfDateConfigurationNeeded) {
    switch (platform) {
      case TcbStatus::kUpToDate:
      case TcbStatus::kSwHardeningNeeded: return TcbStatus::kOutOfDate;
      case TcbStatus::kConfigurationNeeded:
      case TcbStatus::kConfigurationAndSwHardeningNeeded:
        return TcbStatus::kOutOfDateConfigurationNeeded;
      default: return platform;
    }
  }
  return platform;
}

}  // namespace teepnet::attest
