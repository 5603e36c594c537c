// TEST-ONLY: a small reader for the CBOR diagnostic notation (RFC 8949 §8) used by the EAR and
// EAT example files: integers, text, h'..' byte strings (adjacent ones concatenate, as in the
// TEEP example), arrays, maps, true/false/null and /comments/. Nothing else (no floats, tags
// or encoding indicators), because the examples use nothing else.
#ifndef TEEPNET_TESTS_VECTORS_EAR_EDN_READER_H_
#define TEEPNET_TESTS_VECTORS_EAR_EDN_READER_H_

#include <string_view>

#include "teepnet/base/result.h"
#include "teepnet/cbor/value.h"

namespace teepnet::testing {

Result<cbor::Value> ReadEdn(std::string_view text);

}  // namespace teepnet::testing

#endif  // TEEPNET_TESTS_VECTORS_EAR_EDN_READER_H_
