// The vendor's model as it crosses into the TEE: strict, deterministic CBOR.
//
//   model = {
//     1: name tstr,                 ; at most kMaxModelNameBytes
//     2: version uint,
//     3: feature_count uint,        ; must be kFeatureCount: the model was trained on flow.h
//     4: threshold float,
//     5: [+ component],             ; at most kMaxComponents
//   }
//   component = [bias float, mean [kFeatureCount * float], factor [kFactorEntries * float]]
//
// Floats use preferred serialization (the shortest exact width), keys are in ascending order,
// and every key is present exactly once.
#ifndef TEEPNET_WORKLOADS_TELEMETRY_MODEL_CODEC_H_
#define TEEPNET_WORKLOADS_TELEMETRY_MODEL_CODEC_H_

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/workloads/telemetry/mixture.h"

namespace teepnet::workloads::telemetry {

// Fails (Errc::kBadModel) on a model ValidateModel refuses, so no invalid model is ever sent.
Result<Bytes> EncodeModel(const Model& model);

// Errc::kTooLarge beyond kMaxModelBytes or kMaxComponents, Errc::kMalformed for anything that
// is not the schema above in deterministic CBOR (with the byte offset), Errc::kBadModel for a
// well-formed model that ValidateModel refuses or one trained on other features.
Result<Model> DecodeModel(ByteView bytes);

}  // namespace teepnet::workloads::telemetry

#endif  // TEEPNET_WORKLOADS_TELEMETRY_MODEL_CODEC_H_
