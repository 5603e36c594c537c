// IEEE 754 conversions between double and the CBOR float widths (RFC 8949 §3.3, Appendix D),
// and the "shortest exact width" rule of preferred serialization (RFC 8949 §4.1).
#ifndef TEEPNET_CBOR_FLOAT_BITS_H_
#define TEEPNET_CBOR_FLOAT_BITS_H_

#include <cstdint>

#include "teepnet/cbor/item.h"

namespace teepnet::cbor {

double HalfToDouble(uint16_t bits);
double SingleToDouble(uint32_t bits);
double DoubleFromBits(uint64_t bits);
uint64_t DoubleToBits(double value);

// True (with the bits) when `value` is exactly a half-precision float. Infinities are; NaNs
// are not (callers treat NaN separately: its preferred form is f9 7e00).
bool ExactHalf(double value, uint16_t* bits);
// True (with the bits) when `value` is exactly a single-precision float (not NaN).
bool ExactSingle(double value, uint32_t* bits);

// The width preferred serialization uses for `value` (kHalf for every NaN).
FloatWidth ShortestWidth(double value);

}  // namespace teepnet::cbor

#endif  // TEEPNET_CBOR_FLOAT_BITS_H_
