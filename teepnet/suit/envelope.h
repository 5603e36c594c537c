// SUIT_Envelope (draft-ietf-suit-manifest-37 §8.2, trust-domains-11 §5): the authentication
// wrapper, the manifest bstr, severed members and integrated payloads / dependencies, decoded
// structurally. Nothing here trusts the manifest: authenticator.h verifies it before it is
// parsed.
//
// WARNING: a decoded Envelope borrows `input`; the input must outlive it and its views.
#ifndef TEEPNET_SUIT_ENVELOPE_H_
#define TEEPNET_SUIT_ENVELOPE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/suit/digest.h"
#include "teepnet/suit/limits.h"

namespace teepnet::suit {

// An envelope member under a text key: an integrated payload ("#tc") or an integrated
// dependency envelope ("#dependent.suit").
struct IntegratedPayload {
  std::string key;
  ByteView contents;
};

struct Envelope {
  bool tagged = false;
  // The first authentication-wrapper entry: the encoded SUIT_Digest (the bstr's contents),
  // which every COSE block signs as its detached payload, and its decoded form.
  ByteView digest_encoded;
  Digest digest;
  // The following entries: COSE_Sign1 / COSE_Mac0 (tagged), as bstr contents.
  std::vector<ByteView> auth_blocks;
  // The manifest member: the whole encoded bstr (head included, what the digest covers,
  // manifest-37 §8.3) and its contents (the SUIT_Manifest map).
  ByteView manifest_bstr;
  ByteView manifest;
  // Severed members by manifest key: whole encoded bstr (what the severed digest covers) and
  // its contents.
  std::map<int64_t, ByteView> severed_bstr;
  std::map<int64_t, ByteView> severed_contents;
  std::vector<IntegratedPayload> integrated;
  std::optional<ByteView> delegation;  // trust-domains-11 suit-delegation, kept unparsed

  const IntegratedPayload* FindIntegrated(std::string_view key) const;
};

// Decodes an envelope, tagged (107) or untagged. Checks the CDDL shape, duplicate keys, the
// named limits (envelope size, authentication blocks) and that the authentication wrapper's
// first entry is a SUIT_Digest.
Result<Envelope> DecodeEnvelope(ByteView input, const Limits& limits = Limits());
// The envelope borrows its input: refuse temporaries that would dangle.
Result<Envelope> DecodeEnvelope(Bytes&& input, const Limits& limits = Limits()) = delete;

}  // namespace teepnet::suit

#endif  // TEEPNET_SUIT_ENVELOPE_H_
