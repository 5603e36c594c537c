// deps: teepnet_ta teepnet_base
// Target functions: runtime::ParseFrameHeader over the first bytes and runtime::DecodePd over the
// rest — what a TA reads from its channel fd, written by the Agent side of the boundary.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "teepnet/runtime/ta_wire.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace teepnet;  // NOLINT: fuzz harness brevity
  ByteView input(data, size);
  const size_t head = size < runtime::kFrameHeaderBytes ? size : runtime::kFrameHeaderBytes;
  auto header = runtime::ParseFrameHeader(input.first(head));
  if (header.ok() && head != runtime::kFrameHeaderBytes) std::abort();
  auto pd = runtime::DecodePd(input.subspan(head));
  (void)pd;
  return 0;
}
