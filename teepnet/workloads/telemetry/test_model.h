// Test-only: the vendor model of the default recipe, trained once per test binary (training is
// the slowest step of every test that needs a real model).
#ifndef TEEPNET_WORKLOADS_TELEMETRY_TEST_MODEL_H_
#define TEEPNET_WORKLOADS_TELEMETRY_TEST_MODEL_H_

#include "teepnet/workloads/telemetry/mixture.h"

namespace teepnet::workloads::telemetry {

const Model& SharedVendorModel();

}  // namespace teepnet::workloads::telemetry

#endif  // TEEPNET_WORKLOADS_TELEMETRY_TEST_MODEL_H_
