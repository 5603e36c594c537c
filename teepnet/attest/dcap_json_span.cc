#include "teepnet/attest/dcap_json_span.h"

#include <string>

#include "teepnet/attest/errc.h"
#include "teepnet/base/byte_reader.h"

namespace teepnet::attest {

namespace {

Error Bad(std::string what, size_t offset) {
  return Error(Errc::kDcapBadCollateralJson, std::move(what), offset);
}

bool IsSpace(uint8_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
bool IsHex(uint8_t c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

class Scanner {
 public:
  explicit Scanner(ByteView doc) : r_(doc) {}

  void SkipSpace() {
    uint8_t c = 0;
    while (r_.PeekU8(&c) && IsSpace(c)) r_.Skip(1);
  }

  // Reads a string token; `raw` receives the bytes between the quotes.
  Status String(ByteView* raw) {
    size_t start = r_.position();
    uint8_t c = 0;
    if (!r_.ReadU8(&c) || c != '"') return Bad("expected a string", start);
    size_t body = r_.position();
    for (;;) {
      size_t at = r_.position();
      if (!r_.ReadU8(&c)) return Bad("unterminated string", start);
      if (c == '"') break;
      //= https://www.rfc-editor.org/rfc/rfc8259#section-7
      //# All Unicode characters may be placed within the quotation marks, except for the
      //# characters that MUST be escaped: quotation mark, reverse solidus, and the control
      //# characters (U+0000 through U+001F).
      if (c < 0x20) return Bad("control character in a string", at);
      if (c != '\\') continue;
      if (!r_.ReadU8(&c)) return Bad("unterminated escape", at);
      if (c == 'u') {
        for (int i = 0; i < 4; ++i) {
          if (!r_.ReadU8(&c) || !IsHex(c)) return Bad("bad \\u escape", at);
        }
      } else if (std::string_view("\"\\/bfnrt").find(static_cast<char>(c)) ==
                 std::string_view::npos) {
        return Bad("bad escape", at);
      }
    }
    // The closing quote is the byte just consumed.
    *raw = Slice(body, r_.position() - 1);
    return OkStatus();
  }

  Status Value(size_t depth) {
    if (depth > kMaxJsonDepth) return Bad("JSON nested too deeply", r_.position());
    uint8_t c = 0;
    if (!r_.PeekU8(&c)) return Bad("expected a value", r_.position());
    ByteView ignored;
    switch (c) {
      case '{': return Object(depth + 1, {}, nullptr);
      case '[': return Array(depth + 1);
      case '"': return String(&ignored);
      default: return Scalar();
    }
  }

  // An object; when `key` is non-empty, `found` receives that member's value span.
  Status Object(size_t depth, std::string_view key, ByteView* found) {
    size_t start = r_.position();
    r_.Skip(1);  // '{'
    SkipSpace();
    uint8_t c = 0;
    if (r_.PeekU8(&c) && c == '}') {
      r_.Skip(1);
      return OkStatus();
    }
    for (;;) {
      SkipSpace();
      ByteView name;
      TEEPNET_RETURN_IF_ERROR(String(&name));
      SkipSpace();
      if (!r_.ReadU8(&c) || c != ':') return Bad("expected ':'", r_.position());
      SkipSpace();
      size_t value_start = r_.position();
      TEEPNET_RETURN_IF_ERROR(Value(depth));
      if (found != nullptr && Equal(name, AsBytes(key))) {
        if (!found->empty()) return Bad("member \"" + std::string(key) + "\" twice", value_start);
        *found = Slice(value_start, r_.position());
      }
      SkipSpace();
      if (!r_.ReadU8(&c)) return Bad("unterminated object", start);
      if (c == '}') return OkStatus();
      if (c != ',') return Bad("expected ',' or '}'", r_.position() - 1);
    }
  }

  Status Array(size_t depth) {
    size_t start = r_.position();
    r_.Skip(1);  // '['
    SkipSpace();
    uint8_t c = 0;
    if (r_.PeekU8(&c) && c == ']') {
      r_.Skip(1);
      return OkStatus();
    }
    for (;;) {
      SkipSpace();
      TEEPNET_RETURN_IF_ERROR(Value(depth));
      SkipSpace();
      if (!r_.ReadU8(&c)) return Bad("unterminated array", start);
      if (c == ']') return OkStatus();
      if (c != ',') return Bad("expected ',' or ']'", r_.position() - 1);
    }
  }

  // true / false / null / a number: a run of the characters they are made of. The span
  // locator does not need their values; nlohmann::json checks them when the span is parsed.
  Status Scalar() {
    size_t start = r_.position();
    uint8_t c = 0;
    while (r_.PeekU8(&c) &&
           std::string_view("truefalsn0123456789+-.E").find(static_cast<char>(c)) !=
               std::string_view::npos) {
      r_.Skip(1);
    }
    if (r_.position() == start) return Bad("unexpected character", start);
    return OkStatus();
  }

  ByteReader& reader() { return r_; }

 private:
  // A view of [from, to) of the input, taken through the reader (no index math here).
  ByteView Slice(size_t from, size_t to) const {
    ByteView all = r_.Consumed(from);
    return all.first(to - from);
  }

  ByteReader r_;
};

}  // namespace

Result<ByteView> FindJsonMember(ByteView doc, std::string_view key) {
  if (doc.size() > kMaxJsonDocumentSize) return Bad("JSON document too large", 0);
  Scanner s(doc);
  s.SkipSpace();
  uint8_t c = 0;
  if (!s.reader().PeekU8(&c) || c != '{')
    return Bad("expected a JSON object", s.reader().position());
  ByteView found;
  TEEPNET_RETURN_IF_ERROR(s.Object(1, key, &found));
  s.SkipSpace();
  if (!s.reader().AtEnd()) return Bad("content after the JSON object", s.reader().position());
  if (found.empty()) return Bad("no member \"" + std::string(key) + "\"", 0);
  return found;
}

}  // namespace teepnet::attest
