#include "teepnet/tam/report_nonce.h"

#include "teepnet/cbor/reader.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/tam/errc.h"

namespace teepnet::tam {
namespace {

// SUIT_Report key suit-report-nonce (draft-ietf-suit-report-18 §4).
constexpr int64_t kReportNonceKey = 2;

}  // namespace

Result<std::optional<Bytes>> ReadReportNonce(ByteView report) {
  cbor::Reader r(report, cbor::DecodeOptions::Strict());
  size_t pairs = 0;
  if (!r.ReadMapHeader(&pairs).ok() || pairs == cbor::kIndefiniteLength) {
    return Error(Errc::kBadSuitReport, "a SUIT report is not a definite-length map");
  }
  std::optional<Bytes> nonce;
  for (size_t i = 0; i < pairs; ++i) {
    auto type = r.PeekType();
    int64_t key = 0;
    const bool int_key =
        type.ok() && (*type == cbor::ItemType::kUnsigned || *type == cbor::ItemType::kNegative);
    if (int_key && r.ReadInt(&key).ok() && key == kReportNonceKey) {
      ByteView value;
      if (!r.ReadBytes(&value).ok() || nonce.has_value()) {
        return Error(Errc::kBadSuitReport, "suit-report-nonce is not a single bstr");
      }
      nonce = ToBytes(value);
      continue;
    }
    if (!int_key && !r.SkipItem().ok()) break;
    if (!r.SkipItem().ok()) break;
  }
  if (r.failed() || !r.ExpectEnd().ok()) {
    return Error(Errc::kBadSuitReport, "a SUIT report is not well-formed CBOR");
  }
  return nonce;
}

Status CheckReportNonces(const std::vector<Bytes>& reports, ByteView token) {
  for (size_t i = 0; i < reports.size(); ++i) {
    TEEPNET_ASSIGN_OR_RETURN(std::optional<Bytes> nonce, ReadReportNonce(reports[i]));
    if (!nonce || !crypto::ConstantTimeEqual(*nonce, token)) {
      return Error(Errc::kReportNonceMismatch,
                   "suit-reports[" + std::to_string(i) + "]: suit-report-nonce is not the token");
    }
  }
  return OkStatus();
}

}  // namespace teepnet::tam
