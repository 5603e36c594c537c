#include "teepnet/teep/negotiation.h"

#include <algorithm>

#include "teepnet/teep/errc.h"
#include "teepnet/teep/types.h"

namespace teepnet::teep {
namespace {

template <typename T>
const T* FirstCommon(const std::vector<T>& offered, const std::vector<T>& supported) {
  for (const T& offer : offered) {
    if (std::find(supported.begin(), supported.end(), offer) != supported.end()) return &offer;
  }
  return nullptr;
}

}  // namespace

Result<CipherSuite> SelectCipherSuite(const std::vector<CipherSuite>& offered,
                                      const std::vector<CipherSuite>& supported) {
  if (const CipherSuite* suite = FirstCommon(offered, supported)) return *suite;
  return Error(Errc::kNoCommonCipherSuite, "no offered cipher suite is supported");
}

Result<uint32_t> SelectVersion(const std::vector<uint32_t>& offered,
                               const std::vector<uint32_t>& supported) {
  // draft §QueryRequest versions: "If this parameter is not present, it is to be treated
  // the same as if it contained only version 0."
  const std::vector<uint32_t> effective = offered.empty() ? std::vector<uint32_t>{0} : offered;
  if (const uint32_t* v = FirstCommon(effective, supported)) return *v;
  return Error(Errc::kNoCommonVersion, "no offered TEEP version is supported");
}

Result<uint64_t> SelectFreshnessMechanism(const std::vector<uint64_t>& offered,
                                          const std::vector<uint64_t>& supported) {
  // draft §QueryRequest: absent supported-freshness-mechanisms means only nonce.
  const std::vector<uint64_t> effective =
      offered.empty() ? std::vector<uint64_t>{kFreshnessNonce} : offered;
  if (const uint64_t* m = FirstCommon(effective, supported)) return *m;
  return Error(Errc::kNoCommonFreshnessMechanism, "no offered freshness mechanism is supported");
}

}  // namespace teepnet::teep
