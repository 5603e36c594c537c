// deps: teepnet_teep
// Fuzzes the bare TEEP message decoders (the COSE payload). The first input byte selects
// the wire profile (bit 0: rfc / legacy) and the entry point ((byte >> 1) % 6: the generic
// DecodeMessage or one of the five typed decoders); the rest is the message. Properties:
//  - no decoder crashes, and a failure never claims an offset past the input;
//  - whatever decodes also passes Validate() (decoder and encoder enforce the same rules);
//  - it encodes in both key orders, and each encoding decodes back to an equal message.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "teepnet/base/bytes.h"
#include "teepnet/teep/message.h"

namespace {

using namespace teepnet;
using namespace teepnet::teep;

void Check(bool condition) {
  if (!condition) std::abort();
}

template <typename R>
void CheckFailure(const R& r, size_t size) {
  if (!r.ok() && r.error().has_offset()) Check(r.error().offset() <= size);
}

void RoundTrip(const TeepMessage& message, const WireProfile& profile) {
  Check(Validate(message, profile).ok());
  for (KeyOrder order : {KeyOrder::kDeterministic, KeyOrder::kDraftExample}) {
    auto encoded = EncodeMessage(message, profile, EncodeOptions{order});
    Check(encoded.ok());
    auto again = DecodeMessage(*encoded, profile);
    Check(again.ok() && *again == message);
  }
}

template <typename M>
void TypedDecode(Result<M> (*decode)(ByteView, const WireProfile&), ByteView input,
                 const WireProfile& profile) {
  auto m = decode(input, profile);
  CheckFailure(m, input.size());
  if (m.ok()) RoundTrip(TeepMessage(*m), profile);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const WireProfile& profile = (data[0] & 1) ? LegacyProfile() : RfcProfile();
  const ByteView input(data + 1, size - 1);
  switch ((data[0] >> 1) % 6) {
    case 0: {
      auto m = DecodeMessage(input, profile);
      CheckFailure(m, input.size());
      if (m.ok()) RoundTrip(*m, profile);
      break;
    }
    case 1: TypedDecode(DecodeQueryRequest, input, profile); break;
    case 2: TypedDecode(DecodeQueryResponse, input, profile); break;
    case 3: TypedDecode(DecodeUpdate, input, profile); break;
    case 4: TypedDecode(DecodeSuccess, input, profile); break;
    default: TypedDecode(DecodeErrorMessage, input, profile); break;
  }
  return 0;
}
