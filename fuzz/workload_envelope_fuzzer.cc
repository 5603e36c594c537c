// deps: teepnet_workload teepnet_channel teepnet_cbor teepnet_base
// Target functions: workload::DecodeEnvelope and workload::DecodeResult (workload/envelope.h) —
// what a workload TA runs on the PD it opened and a party runs on a receipt's result.
//
// Properties: no crash; whatever decodes re-encodes to exactly the bytes it came from (both
// encodings are deterministic, so acceptance of a second form of the same value is a bug).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "teepnet/workload/envelope.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const teepnet::ByteView input(data, size);
  if (auto envelope = teepnet::workload::DecodeEnvelope(input); envelope.ok()) {
    auto again = teepnet::workload::EncodeEnvelope(*envelope);
    if (!again.ok() || teepnet::ByteView(*again).size() != size ||
        !std::equal(again->begin(), again->end(), data)) {
      std::abort();
    }
  }
  if (auto result = teepnet::workload::DecodeResult(input); result.ok()) {
    auto again = teepnet::workload::EncodeResult(*result);
    if (!again.ok() || again->size() != size || !std::equal(again->begin(), again->end(), data)) {
      std::abort();
    }
  }
  return 0;
}
