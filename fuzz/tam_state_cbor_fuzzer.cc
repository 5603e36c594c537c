// deps: teepnet_store
// Fuzzes the decoders of the TAM store's binary columns (store/tam_state_cbor.h), which read
// what a damaged or hand-edited database holds. The first byte picks the column:
//   even: a device status; odd: a desired state.
// Properties: no crash; whatever decodes re-encodes to exactly the input (the layout is
// deterministic CBOR with one encoding per value), and that encoding decodes to the same value.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "teepnet/store/tam_state_cbor.h"

using namespace teepnet;

namespace {

template <typename Decode, typename Encode>
void CheckRoundTrip(ByteView input, Decode decode, Encode encode) {
  auto value = decode(input);
  if (!value.ok()) return;
  auto again = encode(*value);
  if (!again.ok()) abort();
  if (Bytes(input.begin(), input.end()) != *again) abort();
  auto back = decode(*again);
  if (!back.ok() || !(*back == *value)) abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const ByteView input(data + 1, size - 1);
  if (data[0] % 2 == 0) {
    CheckRoundTrip(input, store::DecodeDeviceStatusCbor, store::EncodeDeviceStatusCbor);
  } else {
    CheckRoundTrip(input, store::DecodeDesiredStateCbor, store::EncodeDesiredStateCbor);
  }
  return 0;
}
