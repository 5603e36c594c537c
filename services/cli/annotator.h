// Annotator: prints a CBOR item one data item per line, with byte offset, head bytes and a
// description, naming structures from registered tables:
//
//   0000  d2                  tag 18 (COSE_Sign1)
//   0001  84                    array(4)
//   0002  43                      [protected] bytes(3) << bstr-wrapped CBOR >>
//   0003  a1                        map(1)
//   0004  01                          1 (alg)
//   0005  26                          -7 (ES256)
//
// Names come from contexts: a tag may put its item in a context ("COSE_Sign1"), a context
// names array positions and integer map keys, gives each member a context of its own, and
// may name the integer values of a key (alg -7 => ES256). Modules register their tables
// (cose_names.cc today; TEEP, SUIT and EAT tables later) without touching the walker.
// Offsets are decimal, as in error messages.
#ifndef TEEPNET_SERVICES_CLI_ANNOTATOR_H_
#define TEEPNET_SERVICES_CLI_ANNOTATOR_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/cbor/reader.h"

namespace teepnet::cli {

// How a member (array position or map value) is to be shown.
struct Member {
  std::string name;           // "protected", "alg"; empty for none
  std::string context;        // context of the member's own content; empty for none
  bool bstr_wrapped = false;  // a byte string whose content is CBOR in `context`
  std::map<int64_t, std::string> value_names;  // integer values, e.g. -7 => "ES256"
};

struct Context {
  std::vector<Member> positions;   // array members by index
  std::string rest_context;        // array members beyond `positions` (e.g. each recipient)
  std::map<int64_t, Member> keys;  // integer map keys
  std::map<std::string, Member> text_keys;
};

class Annotator {
 public:
  void RegisterTag(uint64_t tag, std::string name, std::string context = "");
  // Adds to (or creates) a context.
  Context& MutableContext(const std::string& name) { return contexts_[name]; }

  // The annotated listing of the one item in `input`; fails on malformed input with the
  // decoder's error (offset included).
  Result<std::string> Annotate(ByteView input) const;

 private:
  struct TagInfo {
    std::string name;
    std::string context;
  };
  struct Walk;
  const Context* FindContext(const std::string& name) const;

  std::map<uint64_t, TagInfo> tags_;
  std::map<std::string, Context> contexts_;
};

// Tables for COSE (RFC 9052/9053 and the IANA COSE registries).
void RegisterCoseNames(Annotator& annotator);
// Tags of RFC 8949 §3.4 and other generic ones.
void RegisterCoreTagNames(Annotator& annotator);

}  // namespace teepnet::cli

#endif  // TEEPNET_SERVICES_CLI_ANNOTATOR_H_
