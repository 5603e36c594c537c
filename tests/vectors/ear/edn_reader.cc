#include "tests/vectors/ear/edn_reader.h"

#include <cctype>
#include <string>

#include "teepnet/base/errc.h"
#include "teepnet/base/hex.h"

namespace teepnet::testing {
namespace {

class EdnReader {
 public:
  explicit EdnReader(std::string_view text) : text_(text) {}

  Result<cbor::Value> Item() {
    SkipSpace();
    if (pos_ >= text_.size()) return Fail("unexpected end");
    const char c = text_[pos_];
    if (c == '[') return Array();
    if (c == '{') return Map();
    if (c == '"') return Text();
    if (c == 'h' && Peek(1) == '\'') return HexBytes();
    if (c == '-' || std::isdigit(static_cast<unsigned char>(c))) return Int();
    for (const char* word : {"true", "false", "null"}) {
      if (text_.substr(pos_).rfind(word, 0) == 0) {
        pos_ += std::string_view(word).size();
        if (word[0] == 'n') return cbor::Value::Null();
        return cbor::Value::Bool(word[0] == 't');
      }
    }
    return Fail("unexpected character");
  }

  Status End() {
    SkipSpace();
    if (pos_ != text_.size()) return Fail("trailing text");
    return Status();
  }

 private:
  Error Fail(const char* why) const { return Error(BaseErrc::kBadHex, why, pos_); }
  char Peek(size_t ahead) const { return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0'; }

  void SkipSpace() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (std::isspace(static_cast<unsigned char>(c))) {
        ++pos_;
      } else if (c == '/') {
        const size_t end = text_.find('/', pos_ + 1);
        pos_ = end == std::string_view::npos ? text_.size() : end + 1;
      } else {
        return;
      }
    }
  }

  Result<cbor::Value> Int() {
    const bool negative = text_[pos_] == '-';
    if (negative) ++pos_;
    uint64_t v = 0;
    size_t digits = 0;
    while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
      v = v * 10 + static_cast<uint64_t>(text_[pos_++] - '0');
      ++digits;
    }
    if (digits == 0) return Fail("bad integer");
    return negative ? cbor::Value::Negative(v - 1) : cbor::Value::Unsigned(v);
  }

  Result<cbor::Value> Text() {
    ++pos_;
    std::string out;
    while (pos_ < text_.size() && text_[pos_] != '"') {
      if (text_[pos_] == '\\') ++pos_;
      if (pos_ < text_.size()) out.push_back(text_[pos_++]);
    }
    if (pos_ >= text_.size()) return Fail("unterminated text");
    ++pos_;
    return cbor::Value::Text(out);
  }

  Result<cbor::Value> HexBytes() {
    std::string hex;
    while (Peek(0) == 'h' && Peek(1) == '\'') {
      pos_ += 2;
      while (pos_ < text_.size() && text_[pos_] != '\'') {
        if (!std::isspace(static_cast<unsigned char>(text_[pos_]))) hex.push_back(text_[pos_]);
        ++pos_;
      }
      if (pos_ >= text_.size()) return Fail("unterminated byte string");
      ++pos_;
      SkipSpace();
    }
    auto b = FromHex(hex);
    if (!b.ok()) return b.error();
    return cbor::Value::Bytes(*b);
  }

  Result<cbor::Value> Array() {
    ++pos_;
    std::vector<cbor::Value> items;
    SkipSpace();
    while (Peek(0) != ']') {
      TEEPNET_ASSIGN_OR_RETURN(cbor::Value v, Item());
      items.push_back(std::move(v));
      SkipSpace();
      if (Peek(0) == ',') ++pos_;
      SkipSpace();
      if (pos_ >= text_.size()) return Fail("unterminated array");
    }
    ++pos_;
    return cbor::Value::Array(std::move(items));
  }

  Result<cbor::Value> Map() {
    ++pos_;
    std::vector<cbor::Value::MapEntry> entries;
    SkipSpace();
    while (Peek(0) != '}') {
      TEEPNET_ASSIGN_OR_RETURN(cbor::Value k, Item());
      SkipSpace();
      if (Peek(0) != ':') return Fail("expected ':'");
      ++pos_;
      TEEPNET_ASSIGN_OR_RETURN(cbor::Value v, Item());
      entries.emplace_back(std::move(k), std::move(v));
      SkipSpace();
      if (Peek(0) == ',') ++pos_;
      SkipSpace();
      if (pos_ >= text_.size()) return Fail("unterminated map");
    }
    ++pos_;
    return cbor::Value::Map(std::move(entries));
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

Result<cbor::Value> ReadEdn(std::string_view text) {
  EdnReader r(text);
  TEEPNET_ASSIGN_OR_RETURN(cbor::Value v, r.Item());
  TEEPNET_RETURN_IF_ERROR(r.End());
  return v;
}

}  // namespace teepnet::testing
