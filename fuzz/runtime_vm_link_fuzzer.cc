// deps: teepnet_vm_link teepnet_base
// Target functions: runtime::LinkDecoder (fed in chunks whose sizes come from the input),
// runtime::DecodeTaExit and runtime::DecodeGuestConfig — what the VM backend reads from a guest
// and the guest agent reads from the host (runtime/vm_link.h).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "teepnet/runtime/vm_link.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace teepnet;  // NOLINT: fuzz harness brevity
  if (size == 0) return 0;
  ByteView input(data + 1, size - 1);
  const size_t chunk = 1 + data[0] % 64;
  runtime::LinkDecoder decoder;
  bool failed = false;
  for (size_t at = 0; at < input.size() && !failed; at += chunk) {
    decoder.Feed(input.subspan(at, std::min(chunk, input.size() - at)));
    for (;;) {
      auto frame = decoder.Next();
      if (!frame.ok()) {
        failed = true;
        break;
      }
      if (!frame->has_value()) break;
      if ((*frame)->payload.size() > runtime::kMaxLinkPayload) std::abort();
      if ((*frame)->kind == runtime::LinkKind::kTaExit)
        (void)runtime::DecodeTaExit((*frame)->payload);
      if ((*frame)->kind == runtime::LinkKind::kEvidence)
        (void)runtime::DecodeEvidenceReply((*frame)->payload);
    }
  }
  // A guest config that decodes re-encodes to the same bytes (one encoding per config).
  auto config = runtime::DecodeGuestConfig(input);
  if (config.ok()) {
    const Bytes again = runtime::EncodeGuestConfig(*config);
    if (!Equal(again, input)) std::abort();
  }
  return 0;
}
