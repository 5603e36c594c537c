#include "teepnet/suit/environment.h"

#include "teepnet/suit/errc.h"

namespace teepnet::suit {

Result<Bytes> MapFetcher::Fetch(std::string_view uri) {
  ++fetches_;
  auto it = map_.find(uri);
  if (it == map_.end()) {
    return Error(Errc::kFetchFailed, "nothing is known at " + std::string(uri));
  }
  return it->second;
}

}  // namespace teepnet::suit
