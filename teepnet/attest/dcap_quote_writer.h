// Assembles DCAP quotes in the genuine wire layout (evidence-formats.md §2.3): simulated
// platforms sign with it, and tests re-assemble genuine quotes with one part swapped.
#ifndef TEEPNET_ATTEST_DCAP_QUOTE_WRITER_H_
#define TEEPNET_ATTEST_DCAP_QUOTE_WRITER_H_

#include <cstdint>

#include "teepnet/base/bytes.h"

namespace teepnet::attest {

struct DcapSignatureParts {
  ByteView quote_signature;  // 64 bytes r||s over the signed region
  ByteView attestation_key;  // 64 bytes X||Y
  ByteView qe_report;        // 384 bytes
  ByteView qe_report_signature;
  ByteView qe_auth_data;
  uint16_t cert_data_type = 5;
  ByteView cert_data;  // PEM chain for type 5
};

// `signed_region` is header + (v5 descriptor +) body; `version` selects the v3 layout or the
// v4/v5 type-6 wrapping.
Bytes AssembleDcapQuote(uint16_t version, ByteView signed_region, const DcapSignatureParts& sig);

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_DCAP_QUOTE_WRITER_H_
