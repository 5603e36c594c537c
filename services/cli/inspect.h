// The pieces of `teepnet inspect` that tests can call without a process.
#ifndef TEEPNET_SERVICES_CLI_INSPECT_H_
#define TEEPNET_SERVICES_CLI_INSPECT_H_

#include <string>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet::cli {

// Input given as text made only of hex digits and whitespace is hex; anything else is
// binary CBOR. Returns the CBOR bytes.
Result<Bytes> DecodeInspectInput(Bytes raw);

// The annotated listing (with COSE names), or with `edn` the one-line diagnostic notation.
Result<std::string> InspectCbor(ByteView cbor, bool edn);

}  // namespace teepnet::cli

#endif  // TEEPNET_SERVICES_CLI_INSPECT_H_
