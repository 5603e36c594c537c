// The pieces of `teepnet inspect` that tests can call without a process.
#ifndef TEEPNET_SERVICES_CLI_INSPECT_H_
#define TEEPNET_SERVICES_CLI_INSPECT_H_

#include <string>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/teep/wire_profile.h"

namespace teepnet::cli {

// Input given as text made only of hex digits and whitespace is hex; anything else is
// binary CBOR. Returns the CBOR bytes.
Result<Bytes> DecodeInspectInput(Bytes raw);

// The annotated listing (with COSE, SUIT and TEEP names; TEEP numbers read in the rfc
// profile), or with `edn` the one-line diagnostic notation.
Result<std::string> InspectCbor(ByteView cbor, bool edn);
// The same with TEEP numbers read in `profile`.
Result<std::string> InspectCbor(ByteView cbor, bool edn, const teep::WireProfile& profile);

}  // namespace teepnet::cli

#endif  // TEEPNET_SERVICES_CLI_INSPECT_H_
