#include "teepnet/attest/dcap_quote.h"

#include <algorithm>
#include <string>

#include "teepnet/attest/errc.h"

namespace teepnet::attest {

namespace {

// v5 body types (TDX DCAP Quoting Library API, "Quote Format v5", Body Descriptor).
constexpr uint16_t kV5BodySgx = 1;
constexpr uint16_t kV5BodyTd10 = 2;
constexpr uint16_t kV5BodyTd15 = 3;

Error Truncated(const ByteReader& r, std::string_view what) {
  return Error(Errc::kTruncated, "quote ends inside " + std::string(what), r.failure_offset());
}

bool ReadTdReportBody(ByteReader& r, bool td15, TdReportBody* out) {
  r.ReadInto(out->tee_tcb_svn);
  r.ReadInto(out->mrseam);
  r.ReadInto(out->mrsignerseam);
  r.ReadInto(out->seam_attributes);
  r.ReadInto(out->td_attributes);
  r.ReadInto(out->xfam);
  r.ReadInto(out->mrtd);
  r.ReadInto(out->mrconfigid);
  r.ReadInto(out->mrowner);
  r.ReadInto(out->mrownerconfig);
  for (auto& rtmr : out->rtmr) r.ReadInto(rtmr);
  r.ReadInto(out->report_data);
  out->td15 = td15;
  if (td15) {
    r.ReadInto(out->tee_tcb_svn2);
    r.ReadInto(out->mrservicetd);
  }
  return !r.failed();
}

// QE report, its signature and the QE authentication data: the common middle of the v3
// signature data and of the v4/v5 type-6 certification data.
Status ReadQeReportBlock(ByteReader& r, DcapQuote* q) {
  if (!ReadSgxReportBody(r, &q->qe_report)) return Truncated(r, "the QE report");
  uint16_t auth_len = 0;
  r.ReadBytes(64, &q->qe_report_signature);
  r.ReadLeU16(&auth_len);
  r.ReadBytes(auth_len, &q->qe_auth_data);
  if (r.failed()) return Truncated(r, "the QE report signature or QE auth data");
  return OkStatus();
}

// Certification data header: type (u16) and size (u32), then `size` bytes.
Status ReadCertificationData(ByteReader& r, uint16_t* type, ByteView* data) {
  uint32_t size = 0;
  r.ReadLeU16(type);
  r.ReadLeU32(&size);
  if (r.failed()) return Truncated(r, "a certification data header");
  size_t at = r.position();
  if (!r.ReadBytes(size, data)) {
    return Error(Errc::kTruncated,
                 "certification data of " + std::to_string(size) + " bytes overruns the quote", at);
  }
  return OkStatus();
}

Status ReadSignatureData(ByteView sig_data, DcapQuote* q, size_t base) {
  ByteReader r(sig_data);
  r.ReadBytes(64, &q->quote_signature);
  r.ReadBytes(64, &q->attestation_key);
  if (r.failed())
    return Truncated(r, "the quote signature or attestation key").WithOffsetBase(base);
  if (q->version == 3) {
    // v3: QE report block, then the certification data directly (Quote Format v3 table).
    Status block = ReadQeReportBlock(r, q);
    if (!block.ok()) return std::move(block).TakeError().WithOffsetBase(base);
    Status s = ReadCertificationData(r, &q->cert_data_type, &q->cert_data);
    if (!s.ok()) return std::move(s).TakeError().WithOffsetBase(base);
  } else {
    // v4/v5: the QE report block is wrapped in certification data type 6, which in turn ends
    // with the PCK certification data (type 5).
    uint16_t outer_type = 0;
    ByteView outer;
    size_t outer_at = r.position();
    Status s = ReadCertificationData(r, &outer_type, &outer);
    if (!s.ok()) return std::move(s).TakeError().WithOffsetBase(base);
    if (outer_type != kDcapCertDataQeReport) {
      return Error(Errc::kDcapBadCertificationData,
                   "v4/v5 certification data type " + std::to_string(outer_type) + ", expected 6",
                   base + outer_at);
    }
    size_t inner_base = base + outer_at + 6;
    ByteReader inner(outer);
    Status block = ReadQeReportBlock(inner, q);
    if (!block.ok()) return std::move(block).TakeError().WithOffsetBase(inner_base);
    s = ReadCertificationData(inner, &q->cert_data_type, &q->cert_data);
    if (!s.ok()) return std::move(s).TakeError().WithOffsetBase(inner_base);
    if (!inner.AtEnd()) {
      return Error(Errc::kDcapBadCertificationData,
                   "bytes after the PCK certification data inside type 6",
                   inner_base + inner.position());
    }
  }
  if (!r.AtEnd()) {
    return Error(Errc::kDcapBadCertificationData, "bytes after the certification data",
                 base + r.position());
  }
  return OkStatus();
}

}  // namespace

bool ReadSgxReportBody(ByteReader& r, SgxReportBody* out) {
  size_t start = r.position();
  r.ReadInto(out->cpusvn);        // @0
  r.ReadLeU32(&out->miscselect);  // @16
  r.Skip(28);                     // @20 reserved1 (12) + ISVEXTPRODID (16)
  r.ReadInto(out->attributes);    // @48
  r.ReadInto(out->mrenclave);     // @64
  r.Skip(32);                     // @96 reserved2
  r.ReadInto(out->mrsigner);      // @128
  r.Skip(96);                     // @160 reserved3 (32) + CONFIGID (64)
  r.ReadLeU16(&out->isvprodid);   // @256
  r.ReadLeU16(&out->isvsvn);      // @258
  r.Skip(60);                     // @260 CONFIGSVN (2) + reserved4 (42) + ISVFAMILYID (16)
  r.ReadInto(out->report_data);   // @320
  if (r.failed()) return false;
  out->raw = r.Consumed(start);
  return true;
}

Result<DcapQuote> ParseDcapQuote(ByteView quote) {
  DcapQuote q;
  ByteReader r(quote);
  r.ReadLeU16(&q.version);
  r.ReadLeU16(&q.att_key_type);
  r.ReadLeU32(&q.tee_type);
  r.ReadLeU16(&q.qe_svn);
  r.ReadLeU16(&q.pce_svn);
  r.ReadInto(q.qe_vendor_id);
  r.ReadInto(q.user_data);
  if (r.failed()) return Truncated(r, "the 48-byte header");
  if (q.version < 3 || q.version > 5) {
    return Error(Errc::kDcapUnsupportedVersion,
                 "quote version " + std::to_string(q.version) + " (expected 3, 4 or 5)", 0);
  }
  if (q.att_key_type != kDcapAttestationKeyEcdsaP256) {
    return Error(Errc::kDcapUnsupportedKeyType,
                 "att_key_type " + std::to_string(q.att_key_type) + " (only 2, ECDSA P-256)", 2);
  }
  // v3 has no tee_type: the field is reserved and zero, which reads as SGX.
  if (q.tee_type != kDcapTeeTypeSgx && (q.version == 3 || q.tee_type != kDcapTeeTypeTdx)) {
    return Error(Errc::kDcapUnsupportedTeeType, "tee_type " + std::to_string(q.tee_type), 4);
  }

  uint16_t body_type = q.tee_type == kDcapTeeTypeSgx ? kV5BodySgx : kV5BodyTd10;
  size_t body_size = body_type == kV5BodySgx ? kSgxReportBodySize : kTd10ReportBodySize;
  if (q.version == 5) {
    uint32_t declared = 0;
    r.ReadLeU16(&body_type);
    r.ReadLeU32(&declared);
    if (r.failed()) return Truncated(r, "the v5 body descriptor");
    switch (body_type) {
      case kV5BodySgx: body_size = kSgxReportBodySize; break;
      case kV5BodyTd10: body_size = kTd10ReportBodySize; break;
      case kV5BodyTd15: body_size = kTd15ReportBodySize; break;
      default:
        return Error(Errc::kDcapUnsupportedVersion,
                     "v5 body type " + std::to_string(body_type) + " (expected 1, 2 or 3)", 48);
    }
    if ((body_type == kV5BodySgx) != (q.tee_type == kDcapTeeTypeSgx)) {
      return Error(Errc::kDcapUnsupportedTeeType, "v5 body type does not match tee_type", 48);
    }
    if (declared != body_size) {
      return Error(Errc::kDcapBadBodySize,
                   "v5 body size " + std::to_string(declared) + " for body type " +
                       std::to_string(body_type),
                   50);
    }
  }
  if (body_type == kV5BodySgx) {
    SgxReportBody body;
    if (!ReadSgxReportBody(r, &body)) return Truncated(r, "the SGX report body");
    q.sgx = body;
  } else {
    TdReportBody body;
    if (!ReadTdReportBody(r, body_type == kV5BodyTd15, &body)) {
      return Truncated(r, "the TD report body");
    }
    q.td = body;
  }
  q.signed_region = r.Consumed(0);

  uint32_t sig_len = 0;
  r.ReadLeU32(&sig_len);
  if (r.failed()) return Truncated(r, "the signature data length");
  size_t sig_at = r.position();
  ByteView sig_data;
  if (!r.ReadBytes(sig_len, &sig_data)) {
    return Error(Errc::kTruncated,
                 "signature data of " + std::to_string(sig_len) + " bytes overruns the quote",
                 sig_at);
  }
  TEEPNET_RETURN_IF_ERROR(ReadSignatureData(sig_data, &q, sig_at));
  q.trailing = r.Rest();
  q.trailing_all_zero =
      std::all_of(q.trailing.begin(), q.trailing.end(), [](uint8_t b) { return b == 0; });
  return q;
}

}  // namespace teepnet::attest
