#include "teepnet/attest/snp_vcek.h"

#include "teepnet/attest/errc.h"
#include "teepnet/base/byte_reader.h"

namespace teepnet::attest {
namespace {

constexpr uint8_t kDerInteger = 0x02;
constexpr uint8_t kDerIa5String = 0x16;
constexpr uint8_t kDerUtf8String = 0x0C;

// One short-form DER TLV with the expected tag filling all of `der`.
Result<ByteView> ShortTlv(ByteView der, uint8_t tag, std::string_view what) {
  ByteReader r(der);
  uint8_t t = 0, len = 0;
  ByteView value;
  if (!r.ReadU8(&t) || t != tag || !r.ReadU8(&len) || len >= 0x80 || !r.ReadBytes(len, &value) ||
      !r.AtEnd()) {
    return Error(Errc::kBadEndorsement, std::string("VCEK extension ") + std::string(what) +
                                            " is not the expected DER type");
  }
  return value;
}

// The SPLs are DER INTEGERs 0..255 (one byte, or 0x00 then a byte >= 0x80).
Result<std::optional<uint8_t>> Spl(const crypto::Certificate& cert, std::string_view oid) {
  std::optional<Bytes> ext = cert.Extension(oid);
  if (!ext) return std::optional<uint8_t>();
  TEEPNET_ASSIGN_OR_RETURN(ByteView v, ShortTlv(*ext, kDerInteger, oid));
  if (v.size() == 1 && v[0] < 0x80) return std::optional<uint8_t>(v[0]);
  if (v.size() == 2 && v[0] == 0 && v[1] >= 0x80) return std::optional<uint8_t>(v[1]);
  return Error(Errc::kBadEndorsement, "VCEK SPL " + std::string(oid) + " is not 0..255");
}

}  // namespace

bool SnpVcekInfo::MatchesTcb(const SnpTcb& tcb, SnpProduct product) const {
  if (!bl || !tee || !snp || !ucode) return false;
  if (*bl != tcb.boot_loader || *tee != tcb.tee || *snp != tcb.snp || *ucode != tcb.microcode) {
    return false;
  }
  if (product == SnpProduct::kTurin) return fmc.has_value() && *fmc == tcb.fmc;
  return !fmc.has_value() || *fmc == tcb.fmc;
}

Result<SnpVcekInfo> ReadSnpVcekInfo(const crypto::Certificate& cert) {
  SnpVcekInfo info;
  TEEPNET_ASSIGN_OR_RETURN(info.bl, Spl(cert, snp_oid::kBlSpl));
  TEEPNET_ASSIGN_OR_RETURN(info.tee, Spl(cert, snp_oid::kTeeSpl));
  TEEPNET_ASSIGN_OR_RETURN(info.snp, Spl(cert, snp_oid::kSnpSpl));
  TEEPNET_ASSIGN_OR_RETURN(info.ucode, Spl(cert, snp_oid::kUcodeSpl));
  TEEPNET_ASSIGN_OR_RETURN(info.fmc, Spl(cert, snp_oid::kFmcSpl));
  // hwID is the raw chip identifier as the OCTET STRING extnValue itself (no inner TLV).
  info.hw_id = cert.Extension(snp_oid::kHwId);
  if (std::optional<Bytes> name = cert.Extension(snp_oid::kProductName)) {
    TEEPNET_ASSIGN_OR_RETURN(ByteView v, ShortTlv(*name, kDerIa5String, "productName"));
    info.product_name = std::string(AsChars(v));
  }
  if (std::optional<Bytes> csp = cert.Extension(snp_oid::kCspId)) {
    ByteReader r(*csp);
    uint8_t tag = 0;
    if (!r.PeekU8(&tag)) return Error(Errc::kBadEndorsement, "VLEK csp_id is empty");
    auto v = ShortTlv(*csp, tag == kDerUtf8String ? kDerUtf8String : kDerIa5String, "csp_id");
    if (!v.ok()) return std::move(v).TakeError();
    info.csp_id = std::string(AsChars(*v));
  }
  return info;
}

}  // namespace teepnet::attest
