#include "teepnet/base/error.h"

namespace teepnet {

std::string_view CodeName(Code code) {
  switch (code) {
    case Code::kOk: return "ok";
    case Code::kInvalidArgument: return "invalid-argument";
    case Code::kFailedPrecondition: return "failed-precondition";
    case Code::kOutOfRange: return "out-of-range";
    case Code::kNotFound: return "not-found";
    case Code::kAlreadyExists: return "already-exists";
    case Code::kPermissionDenied: return "permission-denied";
    case Code::kUnauthenticated: return "unauthenticated";
    case Code::kResourceExhausted: return "resource-exhausted";
    case Code::kUnimplemented: return "unimplemented";
    case Code::kUnavailable: return "unavailable";
    case Code::kAborted: return "aborted";
    case Code::kDeadlineExceeded: return "deadline-exceeded";
    case Code::kDataLoss: return "data-loss";
    case Code::kInternal: return "internal";
  }
  return "unknown";
}

std::string_view DomainName(Domain domain) {
  switch (domain) {
    case Domain::kNone: return "";
    case Domain::kBase: return "base";
    case Domain::kCrypto: return "crypto";
    case Domain::kCbor: return "cbor";
    case Domain::kCose: return "cose";
    case Domain::kHpke: return "hpke";
    case Domain::kSuit: return "suit";
    case Domain::kEat: return "eat";
    case Domain::kTeep: return "teep";
    case Domain::kAttest: return "attest";
    case Domain::kRuntime: return "runtime";
    case Domain::kStore: return "store";
    case Domain::kService: return "service";
    case Domain::kTam: return "tam";
    case Domain::kAgent: return "agent";
    case Domain::kBroker: return "broker";
    case Domain::kChannel: return "channel";
    case Domain::kMoc: return "moc";
    case Domain::kWorkload: return "workload";
  }
  return "unknown";
}

Error Error::WithContext(std::string_view context) const {
  Error copy = *this;
  copy.message_ = std::string(context) + ": " + message_;
  return copy;
}

Error Error::WithOffsetBase(size_t base) const {
  Error copy = *this;
  if (copy.offset_ != kNoOffset) copy.offset_ += base;
  return copy;
}

std::string Error::ToString() const {
  std::string out;
  if (domain_ != Domain::kNone) {
    out += DomainName(domain_);
    out += '/';
    out += reason_name_;
  } else {
    out += CodeName(code_);
  }
  if (offset_ != kNoOffset) {
    out += " at offset ";
    out += std::to_string(offset_);
  }
  if (!message_.empty()) {
    out += ": ";
    out += message_;
  }
  return out;
}

}  // namespace teepnet
