// deps: teepnet_attest_dcap
// Every DCAP evidence parser over untrusted bytes: the quote parser (v3/v4/v5), the PCK SGX
// extension DER reader, the JSON span locator and the TCB Info / QE Identity parsers. Each
// must return a value or an error with an offset, never crash or read out of bounds.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "teepnet/attest/dcap_collateral.h"
#include "teepnet/attest/dcap_json_span.h"
#include "teepnet/attest/dcap_pck_extension.h"
#include "teepnet/attest/dcap_quote.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace teepnet;
  using namespace teepnet::attest;
  ByteView input(data, size);
  auto quote = ParseDcapQuote(input);
  if (quote.ok()) {
    // Every view must lie inside the input and the signed region must start it.
    if (quote->signed_region.data() != data) std::abort();
    if (quote->cert_data.size() > size || quote->trailing.size() > size) std::abort();
  }
  auto ext = ParsePckExtension(input);
  if (ext.ok()) {
    // Re-encoding what was parsed must parse back to the same values.
    auto again = ParsePckExtension(EncodePckExtension(*ext));
    if (!again.ok() || again->fmspc != ext->fmspc || again->comp_svn != ext->comp_svn ||
        again->pcesvn != ext->pcesvn) {
      std::abort();
    }
  }
  for (const char* key : {"tcbInfo", "enclaveIdentity"}) {
    auto span = FindJsonMember(input, key);
    if (!span.ok()) continue;
    if (span->data() < data || span->size() > size) std::abort();
    (void)ParseTcbInfo(*span);
    (void)ParseQeIdentity(*span);
  }
  return 0;
}
