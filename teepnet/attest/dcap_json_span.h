// Locates the exact received bytes of one member value in a JSON document, without
// re-serialising anything. Intel signs TCB Info and QE Identity over the bytes of the
// "tcbInfo" / "enclaveIdentity" value as sent by PCS (Intel PCS API v4, TCB Info and
// Enclave Identity responses; evidence-formats.md §2.3 step 6), so a verifier that parses and
// re-encodes the JSON checks a different message. This scanner walks RFC 8259 syntax with a bounded
// depth and returns a view of the value; the document must outlive the view.
#ifndef TEEPNET_ATTEST_DCAP_JSON_SPAN_H_
#define TEEPNET_ATTEST_DCAP_JSON_SPAN_H_

#include <cstddef>
#include <string_view>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet::attest {

inline constexpr size_t kMaxJsonDepth = 32;              // PCS documents nest 6 levels deep
inline constexpr size_t kMaxJsonDocumentSize = 1 << 20;  // a TCB Info is ~10 KiB

// Returns the value bytes of the member named `key` of the top-level object in `doc`.
// The whole document is checked for well-formed JSON structure (strings, escapes, nesting,
// no trailing content). Member names are compared on their raw bytes (Intel's names have no
// escapes). Fails with attest::Errc::kDcapBadCollateralJson (with the byte offset) when the
// document is malformed, deeper than kMaxJsonDepth, larger than kMaxJsonDocumentSize, lacks the
// member, or names it twice (a duplicate would let a parser and the signature check disagree).
Result<ByteView> FindJsonMember(ByteView doc, std::string_view key);

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_DCAP_JSON_SPAN_H_
