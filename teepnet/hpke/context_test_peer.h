// Test-only access to an HPKE context's sequence number and nonces. The vector suite jumps to
// sequence numbers 255 and 256, and the message-limit tests start next to the maximum;
// production code has no way to move a context's counter.
#ifndef TEEPNET_HPKE_CONTEXT_TEST_PEER_H_
#define TEEPNET_HPKE_CONTEXT_TEST_PEER_H_

#include <cstdint>

#include "teepnet/base/bytes.h"
#include "teepnet/hpke/context.h"

namespace teepnet::hpke {

class ContextTestPeer {
 public:
  static void SetSequenceNumber(SenderContext& context, uint64_t seq) { context.core_.seq_ = seq; }
  static void SetSequenceNumber(RecipientContext& context, uint64_t seq) {
    context.core_.seq_ = seq;
  }
  static Bytes Nonce(const SenderContext& context, uint64_t seq) {
    auto nonce = context.core_.ComputeNonce(seq);
    return Bytes(nonce.begin(), nonce.end());
  }
  static ByteView Key(const SenderContext& context) { return context.core_.key_.view(); }
};

}  // namespace teepnet::hpke

#endif  // TEEPNET_HPKE_CONTEXT_TEST_PEER_H_
