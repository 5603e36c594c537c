#include "teepnet/cbor/float_bits.h"

#include <bit>
#include <cfloat>
#include <cmath>

namespace teepnet::cbor {

double HalfToDouble(uint16_t bits) {
  // RFC 8949 Appendix D gives this decoding: 5 exponent bits (bias 15), 10 mantissa bits,
  // exponent 0 for subnormals, 31 for infinities and NaNs.
  const int exponent = (bits >> 10) & 0x1f;
  const int mantissa = bits & 0x3ff;
  double magnitude;
  if (exponent == 0) {
    magnitude = std::ldexp(mantissa, -24);
  } else if (exponent != 31) {
    magnitude = std::ldexp(mantissa + 1024, exponent - 25);
  } else {
    magnitude = mantissa == 0 ? INFINITY : NAN;
  }
  return (bits & 0x8000) ? -magnitude : magnitude;
}

double SingleToDouble(uint32_t bits) {
  return static_cast<double>(std::bit_cast<float>(bits));
}

double DoubleFromBits(uint64_t bits) {
  return std::bit_cast<double>(bits);
}

uint64_t DoubleToBits(double value) {
  return std::bit_cast<uint64_t>(value);
}

bool ExactHalf(double value, uint16_t* bits) {
  if (std::isnan(value)) return false;
  const uint16_t sign = std::signbit(value) ? 0x8000 : 0;
  const double magnitude = std::fabs(value);
  if (std::isinf(value)) {
    *bits = sign | 0x7c00;
    return true;
  }
  if (magnitude == 0) {
    *bits = sign;
    return true;
  }
  // Largest finite half is 65504; smallest subnormal is 2^-24.
  if (magnitude > 65504.0 || magnitude < std::ldexp(1.0, -24)) return false;
  if (magnitude < std::ldexp(1.0, -14)) {
    const double units = std::ldexp(magnitude, 24);  // multiples of 2^-24
    if (units != std::floor(units)) return false;
    *bits = sign | static_cast<uint16_t>(units);
    return true;
  }
  int e = 0;
  const double fraction = std::frexp(magnitude, &e);  // magnitude = fraction * 2^e, [0.5, 1)
  const double scaled = std::ldexp(fraction, 11);     // 11 significant bits
  if (scaled != std::floor(scaled)) return false;
  const int exponent = e - 1 + 15;
  const uint16_t mantissa = static_cast<uint16_t>(static_cast<uint32_t>(scaled) - 1024);
  *bits = sign | static_cast<uint16_t>(exponent << 10) | mantissa;
  return true;
}

bool ExactSingle(double value, uint32_t* bits) {
  if (std::isnan(value)) return false;
  // Converting a finite double beyond float's range is undefined, so range-check first.
  if (std::isfinite(value) && std::fabs(value) > FLT_MAX) return false;
  const float narrowed = static_cast<float>(value);
  if (static_cast<double>(narrowed) != value) return false;
  *bits = std::bit_cast<uint32_t>(narrowed);
  return true;
}

FloatWidth ShortestWidth(double value) {
  uint16_t half;
  uint32_t single;
  if (std::isnan(value) || ExactHalf(value, &half)) return FloatWidth::kHalf;
  if (ExactSingle(value, &single)) return FloatWidth::kSingle;
  return FloatWidth::kDouble;
}

}  // namespace teepnet::cbor
