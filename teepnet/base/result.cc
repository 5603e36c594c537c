#include "teepnet/base/result.h"

#include <cstdio>

namespace teepnet::internal {

void DieOnBadResultAccess(const Error& error) {
  std::fprintf(stderr, "teepnet: value() on an error Result: %s\n", error.ToString().c_str());
  std::abort();
}

}  // namespace teepnet::internal
