#include "teepnet/attest/dcap_quote_writer.h"

#include "teepnet/base/byte_writer.h"

namespace teepnet::attest {

namespace {

void WriteCertificationData(ByteWriter& w, uint16_t type, ByteView data) {
  w.WriteLeU16(type);
  w.WriteLeU32(static_cast<uint32_t>(data.size()));
  w.WriteBytes(data);
}

}  // namespace

Bytes AssembleDcapQuote(uint16_t version, ByteView signed_region, const DcapSignatureParts& sig) {
  ByteWriter qe_block;
  qe_block.WriteBytes(sig.qe_report);
  qe_block.WriteBytes(sig.qe_report_signature);
  qe_block.WriteLeU16(static_cast<uint16_t>(sig.qe_auth_data.size()));
  qe_block.WriteBytes(sig.qe_auth_data);
  WriteCertificationData(qe_block, sig.cert_data_type, sig.cert_data);

  ByteWriter sig_data;
  sig_data.WriteBytes(sig.quote_signature);
  sig_data.WriteBytes(sig.attestation_key);
  if (version == 3) {
    sig_data.WriteBytes(qe_block.bytes());
  } else {
    WriteCertificationData(sig_data, 6, qe_block.bytes());
  }
  ByteWriter quote;
  quote.WriteBytes(signed_region);
  quote.WriteLeU32(static_cast<uint32_t>(sig_data.size()));
  quote.WriteBytes(sig_data.bytes());
  return std::move(quote).Take();
}

}  // namespace teepnet::attest
