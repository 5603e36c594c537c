// deps: teepnet_channel teepnet_base
// Target function: channel::DecodeBundle — the plaintext a Network User seals to the Agent
// (cases 1, 4), decoded strictly. Properties: no crash; failures carry only the documented
// reasons; whatever decodes re-encodes to exactly the input (deterministic CBOR, no trailing
// bytes) and has a non-empty TA.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>

#include "teepnet/channel/bundle.h"
#include "teepnet/channel/errc.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace teepnet;  // NOLINT: fuzz harness brevity
  const ByteView input(data, size);
  auto bundle = channel::DecodeBundle(input);
  if (!bundle.ok()) {
    if (!bundle.error().Is(channel::Errc::kMalformed) &&
        !bundle.error().Is(channel::Errc::kTooLarge)) {
      std::abort();
    }
    return 0;
  }
  if (bundle->ta.empty()) std::abort();
  std::optional<ByteView> ua;
  if (bundle->ua) ua = ByteView(*bundle->ua);
  if (channel::EncodeBundle(bundle->ta, bundle->pd.view(), ua) != ToBytes(input)) std::abort();
  return 0;
}
