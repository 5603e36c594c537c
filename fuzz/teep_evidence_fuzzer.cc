// deps: teepnet_evidence
// Fuzzes the claims-map decoder of the Agent's TEEP Evidence (evidence/teep_evidence.h), the
// part of VerifyTeepEvidence that runs on attacker-chosen bytes once a (compromised) Agent key
// signed them. Properties: no crash; an accepted payload has cnf, eat_nonce and the platform
// evidence, and a binding of exactly 64 bytes; its TA instances (-70003) have SHA-256-sized
// measurements and X25519 / Ed25519 keys.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "teepnet/evidence/teep_evidence.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto r = teepnet::evidence::DecodeTeepEvidencePayload(teepnet::ByteView(data, size));
  if (r.ok() && (r->binding.size() != teepnet::evidence::kReportDataSize || !r->claims.nonce ||
                 !r->claims.cnf_kid)) {
    std::abort();
  }
  if (r.ok()) {
    for (const auto& i : r->instances) {
      if (i.measurement.size() != 32 || i.hpke.type() != teepnet::crypto::KeyType::kX25519 ||
          i.proof.type() != teepnet::crypto::KeyType::kEd25519) {
        std::abort();
      }
    }
  }
  return 0;
}
