// The parameters of one component (draft-ietf-suit-manifest-37 §8.4.8): set by
// directive-set-parameters / directive-override-parameters, read by conditions and
// directives. Values are kept as their encoded CBOR item; typed getters check the type the
// draft gives each parameter and fail with kUnsupportedParameter otherwise.
#ifndef TEEPNET_SUIT_PARAMETERS_H_
#define TEEPNET_SUIT_PARAMETERS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/suit/digest.h"
#include "teepnet/suit/ids.h"

namespace teepnet::suit {

class Parameters {
 public:
  bool Has(Parameter p) const { return values_.count(static_cast<int64_t>(p)) != 0; }
  const std::map<int64_t, Bytes>& values() const { return values_; }

  // kMissingParameter when absent, kUnsupportedParameter when of the wrong type.
  Result<ByteView> GetBytes(Parameter p) const;
  Result<uint64_t> GetUint(Parameter p) const;
  Result<std::string> GetText(Parameter p) const;
  // For image-digest (`bstr .cbor SUIT_Digest`); the view points into this object.
  Result<Digest> GetDigest(Parameter p) const;
  // Absent booleans read as `absent_value`.
  Result<bool> GetBool(Parameter p, bool absent_value) const;

  // Applies a SUIT_Parameters map (the argument of set- / override-parameters). With
  // `override` every entry replaces; without it, only unset parameters are set
  // (trust-domains-11 §6.4: set-parameters "does not overwrite"). Known parameters are
  // type-checked before anything is applied.
  Status Apply(ByteView encoded_map, bool override);

 private:
  Result<ByteView> Raw(Parameter p) const;
  std::map<int64_t, Bytes> values_;
};

}  // namespace teepnet::suit

#endif  // TEEPNET_SUIT_PARAMETERS_H_
