#include "teepnet/base/random.h"

#include <algorithm>

#include "teepnet/base/errc.h"

namespace teepnet {

Status ReplayRandom::Fill(std::span<uint8_t> out) {
  if (out.size() > stream_.size() - pos_) {
    return Error(Code::kResourceExhausted, "replayed random stream exhausted");
  }
  std::copy_n(stream_.begin() + static_cast<std::ptrdiff_t>(pos_), out.size(), out.begin());
  pos_ += out.size();
  return OkStatus();
}

}  // namespace teepnet
