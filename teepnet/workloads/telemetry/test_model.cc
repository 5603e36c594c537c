#include "teepnet/workloads/telemetry/test_model.h"

#include <cstdlib>
#include <utility>

#include "teepnet/workloads/telemetry/recipe.h"

namespace teepnet::workloads::telemetry {

const Model& SharedVendorModel() {
  static const Model* model = [] {
    auto m = TrainVendorModel("acme-flowguard", 3, RecipeOptions{});
    if (!m.ok()) std::abort();
    return new Model(std::move(m).value());
  }();
  return *model;
}

}  // namespace teepnet::workloads::telemetry
