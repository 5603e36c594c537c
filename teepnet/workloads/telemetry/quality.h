// Detection quality of flags against ground-truth labels.
#ifndef TEEPNET_WORKLOADS_TELEMETRY_QUALITY_H_
#define TEEPNET_WORKLOADS_TELEMETRY_QUALITY_H_

#include <cstdint>

namespace teepnet::workloads::telemetry {

struct Quality {
  uint64_t true_positives = 0;
  uint64_t false_positives = 0;
  uint64_t false_negatives = 0;
  uint64_t true_negatives = 0;

  void Add(bool flagged, bool anomalous) {
    if (flagged) {
      ++(anomalous ? true_positives : false_positives);
    } else {
      ++(anomalous ? false_negatives : true_negatives);
    }
  }
  // 0 when undefined (nothing flagged / nothing to find).
  double precision() const { return Div(true_positives, true_positives + false_positives); }
  double recall() const { return Div(true_positives, true_positives + false_negatives); }
  double f1() const {
    return Div(2 * true_positives, 2 * true_positives + false_positives + false_negatives);
  }

 private:
  static double Div(uint64_t a, uint64_t b) {
    return b == 0 ? 0.0 : static_cast<double>(a) / static_cast<double>(b);
  }
};

}  // namespace teepnet::workloads::telemetry

#endif  // TEEPNET_WORKLOADS_TELEMETRY_QUALITY_H_
