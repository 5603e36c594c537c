// Extended diagnostic notation (RFC 8949 §8, RFC 8610 Appendix G) on one line:
//   [_ 1, [2, 3]]   {1: 2, "a": h'0102'}   23(h'01020304')   simple(16)   1.0e+300
// Indefinite strings print as (_ chunk, chunk); floats print the shortest decimal that
// reads back to the same value, with ".0" for integral values.
#ifndef TEEPNET_CBOR_EDN_H_
#define TEEPNET_CBOR_EDN_H_

#include <string>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/cbor/decode_options.h"
#include "teepnet/cbor/value.h"

namespace teepnet::cbor {

std::string ToEdn(const Value& value);
// Decode() then ToEdn().
Result<std::string> ToEdn(ByteView encoded, const DecodeOptions& options = DecodeOptions());
// One float in EDN form: "1.5", "100000.0", "1.0e+300", "5.960464477539063e-8", "NaN",
// "Infinity", "-Infinity".
std::string FloatToEdn(double value);

}  // namespace teepnet::cbor

#endif  // TEEPNET_CBOR_EDN_H_
