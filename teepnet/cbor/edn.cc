#include "teepnet/cbor/edn.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "teepnet/base/hex.h"

namespace teepnet::cbor {

namespace {

void AppendText(std::string& out, std::string_view text) {
  // RFC 8949 §8: text strings are shown as in JSON, so quote and backslash are escaped, and
  // control characters use \u escapes.
  out += '"';
  for (char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\u%04x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  out += '"';
}

void AppendString(std::string& out, Value::Type type, ByteView contents) {
  if (type == Value::Type::kBytes) {
    out += "h'";
    out += ToHex(contents);
    out += '\'';
  } else {
    AppendText(out, AsChars(contents));
  }
}

void AppendEdn(std::string& out, const Value& v) {
  switch (v.type()) {
    case Value::Type::kUnsigned: out += std::to_string(v.argument()); return;
    case Value::Type::kNegative:
      if (v.argument() == UINT64_MAX) {
        out += "-18446744073709551616";  // -1 - (2^64 - 1) does not fit any builtin type
      } else {
        out += '-';
        out += std::to_string(v.argument() + 1);
      }
      return;
    case Value::Type::kBytes:
    case Value::Type::kText:
      if (!v.indefinite()) {
        AppendString(out, v.type(), v.bytes());
        return;
      }
      // RFC 8949 §8.1: an indefinite string shows its chunks as (_ chunk, chunk); one with
      // no chunks as ''_ or ""_.
      if (v.chunks().empty()) {
        out += v.is_bytes() ? "''_" : "\"\"_";
        return;
      }
      out += "(_ ";
      for (size_t i = 0; i < v.chunks().size(); ++i) {
        if (i > 0) out += ", ";
        AppendString(out, v.type(), v.chunks()[i]);
      }
      out += ')';
      return;
    case Value::Type::kArray:
      out += v.indefinite() ? "[_ " : "[";
      for (size_t i = 0; i < v.array().size(); ++i) {
        if (i > 0) out += ", ";
        AppendEdn(out, v.array()[i]);
      }
      out += ']';
      return;
    case Value::Type::kMap:
      out += v.indefinite() ? "{_ " : "{";
      for (size_t i = 0; i < v.map().size(); ++i) {
        if (i > 0) out += ", ";
        AppendEdn(out, v.map()[i].first);
        out += ": ";
        AppendEdn(out, v.map()[i].second);
      }
      out += '}';
      return;
    case Value::Type::kTag:
      out += std::to_string(v.tag());
      out += '(';
      AppendEdn(out, v.tagged());
      out += ')';
      return;
    case Value::Type::kBool: out += v.bool_value() ? "true" : "false"; return;
    case Value::Type::kNull: out += "null"; return;
    case Value::Type::kUndefined: out += "undefined"; return;
    case Value::Type::kSimple: out += "simple(" + std::to_string(v.simple_value()) + ")"; return;
    case Value::Type::kFloat: out += FloatToEdn(v.float_value()); return;
  }
}

}  // namespace

std::string FloatToEdn(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  // Shortest decimal that reads back to the same double (std::to_chars guarantees this).
  // Like RFC 8949 Appendix A (0.00006103515625, 100000.0, 1.0e+300, 5.960464477539063e-8),
  // plain notation is used for decimal exponents -7 < e < 21 and scientific otherwise.
  char buf[400];
  auto [sci_end, sci_ec] =
      std::to_chars(buf, buf + sizeof(buf), value, std::chars_format::scientific);
  if (sci_ec != std::errc()) return "NaN";  // cannot happen: the buffer holds any double
  std::string s(buf, sci_end);
  const int decimal_exponent = std::atoi(s.c_str() + s.find('e') + 1);
  if (decimal_exponent > -7 && decimal_exponent < 21) {
    auto [fixed_end, fixed_ec] =
        std::to_chars(buf, buf + sizeof(buf), value, std::chars_format::fixed);
    if (fixed_ec != std::errc()) return "NaN";
    s.assign(buf, fixed_end);
  }
  // EDN always marks a float as such: 1.0, 1.0e+300 (RFC 8949 Appendix A), with exponents
  // written without leading zeros (5.960464477539063e-8).
  const size_t e = s.find('e');
  std::string mantissa = e == std::string::npos ? s : s.substr(0, e);
  std::string exponent = e == std::string::npos ? "" : s.substr(e + 1);
  if (mantissa.find('.') == std::string::npos) mantissa += ".0";
  if (exponent.empty()) return mantissa;
  std::string sign = "+";
  if (exponent[0] == '+' || exponent[0] == '-') {
    sign = exponent.substr(0, 1);
    exponent = exponent.substr(1);
  }
  while (exponent.size() > 1 && exponent[0] == '0') exponent.erase(0, 1);
  return mantissa + "e" + sign + exponent;
}

std::string ToEdn(const Value& value) {
  std::string out;
  AppendEdn(out, value);
  return out;
}

Result<std::string> ToEdn(ByteView encoded, const DecodeOptions& options) {
  TEEPNET_ASSIGN_OR_RETURN(Value value, Decode(encoded, options));
  return ToEdn(value);
}

}  // namespace teepnet::cbor
