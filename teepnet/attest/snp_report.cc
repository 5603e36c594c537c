#include "teepnet/attest/snp_report.h"

#include <string>

#include "teepnet/attest/errc.h"
#include "teepnet/base/byte_reader.h"
#include "teepnet/base/byte_writer.h"

namespace teepnet::attest {
namespace {

// Reads `n` reserved bytes and records the first non-zero one ("reserved, must be zero",
// ABI spec ATTESTATION_REPORT table).
void ReadReserved(ByteReader& r, size_t n, SnpReport& out) {
  const size_t start = r.position();
  ByteView bytes;
  if (!r.ReadBytes(n, &bytes)) return;
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (bytes[i] != 0 && out.reserved_all_zero) {
      out.reserved_all_zero = false;
      out.nonzero_reserved_offset = start + i;
    }
  }
}

void WriteArray(ByteWriter& w, ByteView bytes) {
  w.WriteBytes(bytes);
}

}  // namespace

Result<SnpReport> DecodeSnpReport(ByteView input) {
  if (input.size() != kSnpReportSize) {
    return Error(attest::Errc::kSnpBadReportSize,
                 "SEV-SNP report is " + std::to_string(input.size()) + " bytes, expected 1184",
                 input.size() < kSnpReportSize ? input.size() : kSnpReportSize);
  }
  ByteReader r(input);
  SnpReport o;
  r.ReadLeU32(&o.version);
  r.ReadLeU32(&o.guest_svn);
  r.ReadLeU64(&o.policy);
  r.ReadInto(o.family_id);
  r.ReadInto(o.image_id);
  r.ReadLeU32(&o.vmpl);
  r.ReadLeU32(&o.signature_algo);
  r.ReadLeU64(&o.current_tcb);
  r.ReadLeU64(&o.platform_info);
  r.ReadLeU32(&o.signer_info);
  ReadReserved(r, 4, o);  // 0x04C
  r.ReadInto(o.report_data);
  r.ReadInto(o.measurement);
  r.ReadInto(o.host_data);
  r.ReadInto(o.id_key_digest);
  r.ReadInto(o.author_key_digest);
  r.ReadInto(o.report_id);
  r.ReadInto(o.report_id_ma);
  r.ReadLeU64(&o.reported_tcb);
  r.ReadU8(&o.cpuid_fam_id);
  r.ReadU8(&o.cpuid_mod_id);
  r.ReadU8(&o.cpuid_step);
  ReadReserved(r, 0x1A0 - 0x18B, o);
  r.ReadInto(o.chip_id);
  r.ReadLeU64(&o.committed_tcb);
  r.ReadU8(&o.current_build);
  r.ReadU8(&o.current_minor);
  r.ReadU8(&o.current_major);
  ReadReserved(r, 1, o);  // 0x1EB
  r.ReadU8(&o.committed_build);
  r.ReadU8(&o.committed_minor);
  r.ReadU8(&o.committed_major);
  ReadReserved(r, 1, o);  // 0x1EF
  r.ReadLeU64(&o.launch_tcb);
  r.ReadLeU64(&o.launch_mit_vector);
  r.ReadLeU64(&o.current_mit_vector);
  ReadReserved(r, kSnpSignedSize - 0x208, o);
  r.ReadInto(o.sig_r);
  r.ReadInto(o.sig_s);
  ByteView padding;
  r.ReadBytes(r.remaining(), &padding);
  for (uint8_t b : padding) o.signature_padding_zero = o.signature_padding_zero && b == 0;
  // The size was checked above, so no read can fail; the reader's state confirms it.
  if (r.failed() || !r.AtEnd()) {
    return Error(attest::Errc::kTruncated, "SEV-SNP report layout", r.failure_offset());
  }
  return o;
}

Bytes EncodeSnpReport(const SnpReport& in) {
  ByteWriter w;
  w.WriteLeU32(in.version);
  w.WriteLeU32(in.guest_svn);
  w.WriteLeU64(in.policy);
  WriteArray(w, in.family_id);
  WriteArray(w, in.image_id);
  w.WriteLeU32(in.vmpl);
  w.WriteLeU32(in.signature_algo);
  w.WriteLeU64(in.current_tcb);
  w.WriteLeU64(in.platform_info);
  w.WriteLeU32(in.signer_info);
  w.WriteZeros(4);
  WriteArray(w, in.report_data);
  WriteArray(w, in.measurement);
  WriteArray(w, in.host_data);
  WriteArray(w, in.id_key_digest);
  WriteArray(w, in.author_key_digest);
  WriteArray(w, in.report_id);
  WriteArray(w, in.report_id_ma);
  w.WriteLeU64(in.reported_tcb);
  w.WriteU8(in.cpuid_fam_id);
  w.WriteU8(in.cpuid_mod_id);
  w.WriteU8(in.cpuid_step);
  w.WriteZeros(0x1A0 - 0x18B);
  WriteArray(w, in.chip_id);
  w.WriteLeU64(in.committed_tcb);
  w.WriteU8(in.current_build);
  w.WriteU8(in.current_minor);
  w.WriteU8(in.current_major);
  w.WriteZeros(1);
  w.WriteU8(in.committed_build);
  w.WriteU8(in.committed_minor);
  w.WriteU8(in.committed_major);
  w.WriteZeros(1);
  w.WriteLeU64(in.launch_tcb);
  w.WriteLeU64(in.launch_mit_vector);
  w.WriteLeU64(in.current_mit_vector);
  w.WriteZeros(kSnpSignedSize - 0x208);
  WriteArray(w, in.sig_r);
  WriteArray(w, in.sig_s);
  w.WriteZeros(kSnpReportSize - w.size());
  return std::move(w).Take();
}

}  // namespace teepnet::attest
