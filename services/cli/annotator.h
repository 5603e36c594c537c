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
// (cose_names.cc, suit_names.cc, teep_names.cc; EAT later) without touching the walker.
// Items that arrive with no expected context (the input, a COSE payload) get one from the
// registered classifiers, which recognise TEEP messages and SUIT envelopes by shape.
// Offsets are decimal, as in error messages.
#ifndef TEEPNET_SERVICES_CLI_ANNOTATOR_H_
#define TEEPNET_SERVICES_CLI_ANNOTATOR_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/cbor/reader.h"
#include "teepnet/teep/wire_profile.h"

namespace teepnet::cli {

// How a member (array position or map value) is to be shown.
struct Member {
  std::string name;           // "protected", "alg"; empty for none
  std::string context;        // context of the member's own content; empty for none
  bool bstr_wrapped = false;  // a byte string whose content is CBOR in `context`
  std::map<int64_t, std::string> value_names;  // integer values, e.g. -7 => "ES256"
  // With `bstr_wrapped`: the context of a value that is not a byte string (a severable SUIT
  // member given as its SUIT_Digest instead of inline).
  std::string non_bstr_context;
};

struct Context {
  std::vector<Member> positions;   // array members by index
  std::string rest_context;        // array members beyond `positions` (e.g. each recipient)
  std::map<int64_t, Member> keys;  // integer map keys
  std::map<std::string, Member> text_keys;
  // Array members beyond `positions` when they need more than a context (a name, wrapping,
  // value names); takes precedence over `rest_context`.
  std::optional<Member> rest;
  // Map keys not listed above: text keys (SUIT integrated payloads "#tc"), and keys of any
  // other kind (integers, e.g. SUIT dependency component indices).
  std::optional<Member> other_text_keys;
  std::optional<Member> other_keys;
  // An array of [id, argument, id, argument ...] (SUIT command sequences): even members are
  // shown as `pair_id`, each odd member as pair_args[the id before it], else pair_other_arg.
  bool pairs = false;
  Member pair_id;
  std::map<int64_t, Member> pair_args;
  Member pair_other_arg;
};

// Picks a member description (usually a context and a name) by shape for an item that arrives
// without an expected context: the whole input, and bstr-wrapped content with none declared
// (a COSE payload, a TEEP manifest-list entry). `item` is a copy positioned at the item.
// Returns nullopt when the shape is not recognised.
using Classifier = std::function<std::optional<Member>(cbor::Reader item)>;

class Annotator {
 public:
  void RegisterTag(uint64_t tag, std::string name, std::string context = "");
  // Adds to (or creates) a context.
  Context& MutableContext(const std::string& name) { return contexts_[name]; }
  // Classifiers are tried in registration order; the first answer wins.
  void RegisterClassifier(Classifier classifier) { classifiers_.push_back(std::move(classifier)); }

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
  Member Classify(const cbor::Reader& item) const;

  std::map<uint64_t, TagInfo> tags_;
  std::map<std::string, Context> contexts_;
  std::vector<Classifier> classifiers_;
};

// Tables for COSE (RFC 9052/9053 and the IANA COSE registries).
void RegisterCoseNames(Annotator& annotator);
// Tags of RFC 8949 §3.4 and other generic ones.
void RegisterCoreTagNames(Annotator& annotator);
// COSE algorithm identifiers by value (IANA "COSE Algorithms"), e.g. -9 => "ESP256".
const std::map<int64_t, std::string>& CoseAlgorithmNames();
// Tables for SUIT: envelope, authentication wrapper, manifest, common, command sequences,
// parameters, text, reports (draft-ietf-suit-manifest-37, -trust-domains-11,
// -firmware-encryption-24, -suit-report-18) and a classifier for untagged envelopes,
// manifests and reports.
void RegisterSuitNames(Annotator& annotator);
// Tables for TEEP messages in the numbering of `profile` (draft-ietf-teep-protocol), and a
// classifier that recognises a bare or COSE-carried TEEP message by its shape.
void RegisterTeepNames(Annotator& annotator, const teep::WireProfile& profile);

}  // namespace teepnet::cli

#endif  // TEEPNET_SERVICES_CLI_ANNOTATOR_H_
