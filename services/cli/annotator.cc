#include "services/cli/annotator.h"

#include <cstdio>

#include "teepnet/base/hex.h"

#include "teepnet/cbor/edn.h"
#include "teepnet/cbor/float_bits.h"
#include "teepnet/cbor/value.h"

namespace teepnet::cli {

namespace {

constexpr size_t kMaxShownBytes = 24;

std::string ShortHex(ByteView b) {
  if (b.size() <= kMaxShownBytes) return "h'" + ToHex(b) + "'";
  return "h'" + ToHex(b.first(kMaxShownBytes)) + "...'";
}

std::string IntText(const cbor::Item& item) {
  if (item.type == cbor::ItemType::kUnsigned) return std::to_string(item.argument);
  if (item.argument == UINT64_MAX) return "-18446744073709551616";
  return "-" + std::to_string(item.argument + 1);
}

// The integer value of an item when it fits int64 (for name lookups).
bool AsInt64(const cbor::Item& item, int64_t* out) {
  if (item.type != cbor::ItemType::kUnsigned && item.type != cbor::ItemType::kNegative) {
    return false;
  }
  if (item.argument > static_cast<uint64_t>(INT64_MAX)) return false;
  const int64_t m = static_cast<int64_t>(item.argument);
  *out = item.type == cbor::ItemType::kUnsigned ? m : -1 - m;
  return true;
}

// bstr-wrapped CBOR is shown nested when it is exactly one well-formed item; for byte strings
// not declared as wrapped, only containers and tags count, so that short binary values
// (keys, nonces) are not misread as integers.
bool LooksLikeWrappedCbor(ByteView content, bool declared) {
  if (content.empty()) return false;
  cbor::DecodeOptions options;
  options.reject_duplicate_keys = false;
  if (!cbor::Decode(content, options).ok()) return false;
  if (declared) return true;
  cbor::Reader peek(content, options);
  Result<cbor::ItemType> type = peek.PeekType();
  return type.ok() && (*type == cbor::ItemType::kArray || *type == cbor::ItemType::kMap ||
                       *type == cbor::ItemType::kTag);
}

}  // namespace

// One walk over one (possibly nested) input. Offsets are shown relative to the outermost
// input: `base` is where this reader's input starts in it.
struct Annotator::Walk {
  const Annotator& names;
  std::string& out;

  void Line(size_t offset, ByteView head, int depth, const std::string& text) {
    char prefix[32];
    std::snprintf(prefix, sizeof(prefix), "%04zu  ", offset);
    std::string head_hex = ToHex(head);
    if (head_hex.size() < 18) head_hex.resize(18, ' ');
    out += prefix;
    out += head_hex;
    out += "  ";
    out.append(static_cast<size_t>(depth) * 2, ' ');
    out += text;
    out += '\n';
  }

  static std::string Label(const Member* m) {
    return m != nullptr && !m->name.empty() ? "[" + m->name + "] " : "";
  }

  // Reads and prints one item (recursively). `member` describes it (may be null).
  Status Item(cbor::Reader& r, size_t base, int depth, const Member* member) {
    TEEPNET_ASSIGN_OR_RETURN(cbor::Item item, r.Next());
    const ByteView head = item.head;
    const size_t at = base + item.offset;
    const std::string label = Label(member);
    const Context* context = nullptr;
    if (member != nullptr) {
      const bool unwrapped = member->bstr_wrapped && item.type != cbor::ItemType::kBytes &&
                             !member->non_bstr_context.empty();
      context = names.FindContext(unwrapped ? member->non_bstr_context : member->context);
    }
    switch (item.type) {
      case cbor::ItemType::kUnsigned:
      case cbor::ItemType::kNegative: {
        std::string text = label + IntText(item);
        int64_t v = 0;
        if (member != nullptr && AsInt64(item, &v)) {
          auto it = member->value_names.find(v);
          if (it != member->value_names.end()) text += " (" + it->second + ")";
        }
        Line(at, head, depth, text);
        return OkStatus();
      }
      case cbor::ItemType::kBytes:
      case cbor::ItemType::kText: return String(r, base, depth, member, item);
      case cbor::ItemType::kArray: return Array(r, base, depth, member, item, context);
      case cbor::ItemType::kMap: return Map(r, base, depth, member, item, context);
      case cbor::ItemType::kTag: {
        std::string text = label + "tag " + std::to_string(item.argument);
        Member tagged;
        auto it = names.tags_.find(item.argument);
        if (it != names.tags_.end()) {
          text += " (" + it->second.name + ")";
          tagged.context = it->second.context;
        } else if (member != nullptr) {
          tagged.context = member->context;  // an unknown tag keeps the expected content
        }
        Line(at, head, depth, text);
        return Item(r, base, depth + 1, &tagged);
      }
      case cbor::ItemType::kFloat: {
        static constexpr const char* kWidth[] = {"", "", "half", "",      "single",
                                                 "", "", "",     "double"};
        Line(at, head, depth,
             label + cbor::FloatToEdn(item.float_value) + " (" +
                 kWidth[static_cast<int>(item.float_width)] + " float)");
        return OkStatus();
      }
      case cbor::ItemType::kFalse: Line(at, head, depth, label + "false"); return OkStatus();
      case cbor::ItemType::kTrue: Line(at, head, depth, label + "true"); return OkStatus();
      case cbor::ItemType::kNull: Line(at, head, depth, label + "null"); return OkStatus();
      case cbor::ItemType::kUndefined:
        Line(at, head, depth, label + "undefined");
        return OkStatus();
      case cbor::ItemType::kSimple:
        Line(at, head, depth, label + "simple(" + std::to_string(item.argument) + ")");
        return OkStatus();
      case cbor::ItemType::kBreak: break;
    }
    return Error(cbor::Errc::kUnexpectedBreak, "break where an item was expected", at);
  }

  Status String(cbor::Reader& r, size_t base, int depth, const Member* member,
                const cbor::Item& item) {
    const bool bytes = item.type == cbor::ItemType::kBytes;
    const size_t at = base + item.offset;
    const ByteView head = item.head;
    const std::string label = Label(member);
    if (item.indefinite) {
      Line(at, head, depth, label + (bytes ? "bytes(_)" : "text(_)"));
      for (;;) {
        TEEPNET_ASSIGN_OR_RETURN(cbor::Item chunk, r.Next());
        const ByteView chunk_head = chunk.head;
        if (chunk.type == cbor::ItemType::kBreak) {
          Line(base + chunk.offset, chunk_head, depth, "break");
          return OkStatus();
        }
        Line(base + chunk.offset, chunk_head, depth + 1, Describe(chunk));
      }
    }
    const bool declared = member != nullptr && member->bstr_wrapped;
    if (bytes && LooksLikeWrappedCbor(item.bytes, declared)) {
      Line(at, head, depth,
           label + "bytes(" + std::to_string(item.bytes.size()) + ") << bstr-wrapped CBOR >>");
      Member inner;
      if (declared) inner.context = member->context;
      cbor::DecodeOptions options;
      options.reject_duplicate_keys = false;
      cbor::Reader nested(item.bytes, options);
      if (inner.context.empty()) inner = names.Classify(nested);
      return Item(nested, at + item.head_size, depth + 1, &inner);
    }
    Line(at, head, depth, label + Describe(item));
    return OkStatus();
  }

  static std::string Describe(const cbor::Item& item) {
    if (item.type == cbor::ItemType::kBytes) {
      return "bytes(" + std::to_string(item.bytes.size()) + ") " + ShortHex(item.bytes);
    }
    cbor::Value text = cbor::Value::Text(item.text());
    return "text(" + std::to_string(item.bytes.size()) + ") " + cbor::ToEdn(text);
  }

  Status Array(cbor::Reader& r, size_t base, int depth, const Member* member,
               const cbor::Item& item, const Context* context) {
    const ByteView head = item.head;
    Line(base + item.offset, head, depth,
         Label(member) +
             (item.indefinite ? "array(_)" : "array(" + std::to_string(item.argument) + ")"));
    Member rest;
    if (context != nullptr) {
      if (context->rest.has_value()) {
        rest = *context->rest;
      } else {
        rest.context = context->rest_context;
      }
    }
    const bool pairs = context != nullptr && context->pairs;
    int64_t id = 0;
    bool have_id = false;
    for (uint64_t i = 0; item.indefinite || i < item.argument; ++i) {
      if (item.indefinite && r.AtBreak()) return Break(r, base, depth);
      const Member* m = &rest;
      if (pairs) {
        m = PairMember(r, *context, i % 2 == 0, &id, &have_id);
      } else if (context != nullptr && i < context->positions.size()) {
        m = &context->positions[i];
      }
      TEEPNET_RETURN_IF_ERROR(Item(r, base, depth + 1, m));
    }
    return OkStatus();
  }

  // In an [id, argument ...] array: the id member (remembering the id it peeks at), or the
  // argument member for the id before it.
  static const Member* PairMember(const cbor::Reader& r, const Context& context, bool is_id,
                                  int64_t* id, bool* have_id) {
    if (is_id) {
      cbor::Reader peek = r;
      Result<cbor::Item> next = peek.Next();
      *have_id = next.ok() && AsInt64(*next, id);
      return &context.pair_id;
    }
    if (*have_id) {
      auto it = context.pair_args.find(*id);
      if (it != context.pair_args.end()) return &it->second;
    }
    return &context.pair_other_arg;
  }

  Status Map(cbor::Reader& r, size_t base, int depth, const Member* member, const cbor::Item& item,
             const Context* context) {
    const ByteView head = item.head;
    Line(base + item.offset, head, depth,
         Label(member) +
             (item.indefinite ? "map(_)" : "map(" + std::to_string(item.argument) + ")"));
    for (uint64_t i = 0; item.indefinite || i < item.argument; ++i) {
      if (item.indefinite && r.AtBreak()) return Break(r, base, depth);
      // Peek at the key to find its name and the member description of its value.
      const Member* value_member = nullptr;
      if (context != nullptr) {
        cbor::Reader peek = r;
        Result<cbor::Item> key = peek.Next();
        int64_t k = 0;
        const bool text = key.ok() && key->type == cbor::ItemType::kText && !key->indefinite;
        if (key.ok() && AsInt64(*key, &k)) {
          auto it = context->keys.find(k);
          if (it != context->keys.end()) value_member = &it->second;
        } else if (text) {
          auto it = context->text_keys.find(std::string(key->text()));
          if (it != context->text_keys.end()) value_member = &it->second;
        }
        if (value_member == nullptr && key.ok()) {
          const std::optional<Member>& other =
              text ? context->other_text_keys : context->other_keys;
          if (other.has_value()) value_member = &*other;
        }
      }
      TEEPNET_RETURN_IF_ERROR(KeyItem(r, base, depth + 1, value_member));
      Member value_shown;
      if (value_member != nullptr) {
        value_shown = *value_member;
        value_shown.name.clear();  // the name is on the key line
      }
      TEEPNET_RETURN_IF_ERROR(Item(r, base, depth + 1, &value_shown));
    }
    return OkStatus();
  }

  // A map key: printed like any item, with the field name appended.
  Status KeyItem(cbor::Reader& r, size_t base, int depth, const Member* field) {
    const size_t before = out.size();
    TEEPNET_RETURN_IF_ERROR(Item(r, base, depth, nullptr));
    if (field != nullptr && !field->name.empty() && out.size() > before) {
      out.insert(out.size() - 1, " (" + field->name + ")");
    }
    return OkStatus();
  }

  Status Break(cbor::Reader& r, size_t base, int depth) {
    TEEPNET_ASSIGN_OR_RETURN(cbor::Item item, r.Next());
    Line(base + item.offset, item.head, depth, "break");
    return OkStatus();
  }
};

void Annotator::RegisterTag(uint64_t tag, std::string name, std::string context) {
  tags_[tag] = TagInfo{std::move(name), std::move(context)};
}

const Context* Annotator::FindContext(const std::string& name) const {
  if (name.empty()) return nullptr;
  auto it = contexts_.find(name);
  return it == contexts_.end() ? nullptr : &it->second;
}

Member Annotator::Classify(const cbor::Reader& item) const {
  for (const Classifier& classify : classifiers_) {
    std::optional<Member> found = classify(item);
    if (found.has_value()) return *std::move(found);
  }
  return Member();
}

Result<std::string> Annotator::Annotate(ByteView input) const {
  cbor::DecodeOptions options;
  options.reject_duplicate_keys = false;  // a diagnostic tool shows such maps
  // Validate first, so that malformed input prints nothing but the error.
  {
    Result<cbor::Value> check = cbor::Decode(input, options);
    if (!check.ok()) return std::move(check).TakeError();
  }
  std::string out;
  Walk walk{*this, out};
  cbor::Reader r(input, options);
  const Member top = Classify(r);
  TEEPNET_RETURN_IF_ERROR(walk.Item(r, 0, 0, &top));
  TEEPNET_RETURN_IF_ERROR(r.ExpectEnd());
  return out;
}

}  // namespace teepnet::cli
