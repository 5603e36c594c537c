#include "teepnet/workloads/telemetry/model_codec.h"

#include <span>
#include <string>

#include "teepnet/cbor/decode_options.h"
#include "teepnet/cbor/reader.h"
#include "teepnet/cbor/writer.h"
#include "teepnet/workloads/telemetry/errc.h"
#include "teepnet/workloads/telemetry/limits.h"
#include "teepnet/workloads/telemetry/schema.h"

namespace teepnet::workloads::telemetry {
namespace {

enum ModelKey : uint64_t {
  kName = 1,
  kVersion,
  kFeatureCountKey,
  kThreshold,
  kComponents,
};
constexpr size_t kModelEntries = 5;
constexpr size_t kComponentFields = 3;

void WriteFloats(cbor::Writer& w, std::span<const double> values) {
  w.WriteArrayHeader(values.size());
  for (double v : values) w.WriteFloat(v);
}

Status ReadFloats(cbor::Reader& r, std::span<double> out, std::string_view what) {
  const size_t at = r.offset();
  size_t n = 0;
  TEEPNET_RETURN_IF_ERROR(schema::ReadArray(r, 0, SIZE_MAX, what, &n));
  if (n != out.size()) {
    return schema::Malformed(
        std::string(what) + " must hold " + std::to_string(out.size()) + " floats", at);
  }
  for (double& v : out) TEEPNET_RETURN_IF_ERROR(schema::ReadFiniteFloat(r, what, &v));
  return OkStatus();
}

Status ReadComponent(cbor::Reader& r, Component* c) {
  const size_t at = r.offset();
  size_t fields = 0;
  TEEPNET_RETURN_IF_ERROR(schema::ReadArray(r, 0, SIZE_MAX, "component", &fields));
  if (fields != kComponentFields) {
    return schema::Malformed("a component is [bias, mean, factor]", at);
  }
  TEEPNET_RETURN_IF_ERROR(schema::ReadFiniteFloat(r, "component bias", &c->bias));
  TEEPNET_RETURN_IF_ERROR(ReadFloats(r, c->mean, "component mean"));
  return ReadFloats(r, c->factor, "component factor");
}

}  // namespace

Result<Bytes> EncodeModel(const Model& model) {
  TEEPNET_RETURN_IF_ERROR(ValidateModel(model));
  if (model.name.size() > kMaxModelNameBytes) {
    return Error(Errc::kTooLarge, "model name longer than kMaxModelNameBytes");
  }
  cbor::Writer w;
  // Keys 1..5 are written in ascending order, which is their deterministic order.
  w.WriteMapHeader(kModelEntries);
  w.WriteUint(kName);
  w.WriteText(model.name);
  w.WriteUint(kVersion);
  w.WriteUint(model.version);
  w.WriteUint(kFeatureCountKey);
  w.WriteUint(kFeatureCount);
  w.WriteUint(kThreshold);
  w.WriteFloat(model.threshold);
  w.WriteUint(kComponents);
  w.WriteArrayHeader(model.components.size());
  for (const Component& c : model.components) {
    w.WriteArrayHeader(kComponentFields);
    w.WriteFloat(c.bias);
    WriteFloats(w, c.mean);
    WriteFloats(w, c.factor);
  }
  return std::move(w).Take();
}

Result<Model> DecodeModel(ByteView bytes) {
  if (bytes.size() > kMaxModelBytes) {
    return Error(Errc::kTooLarge, "model exceeds " + std::to_string(kMaxModelBytes) + " bytes");
  }
  cbor::Reader r(bytes, cbor::DecodeOptions::Deterministic());
  Model model;
  uint64_t features = 0;
  size_t components = 0;
  TEEPNET_RETURN_IF_ERROR(schema::ExpectMap(r, kModelEntries, "model"));
  TEEPNET_RETURN_IF_ERROR(schema::ExpectKey(r, kName, "model"));
  TEEPNET_RETURN_IF_ERROR(schema::ReadText(r, kMaxModelNameBytes, "model name", &model.name));
  TEEPNET_RETURN_IF_ERROR(schema::ExpectKey(r, kVersion, "model"));
  TEEPNET_RETURN_IF_ERROR(schema::ReadUint(r, UINT64_MAX, "model version", &model.version));
  TEEPNET_RETURN_IF_ERROR(schema::ExpectKey(r, kFeatureCountKey, "model"));
  const size_t features_at = r.offset();
  TEEPNET_RETURN_IF_ERROR(schema::ReadUint(r, UINT64_MAX, "feature count", &features));
  if (features != kFeatureCount) {
    return Error(Errc::kBadModel,
                 "model expects " + std::to_string(features) + " features, flows have " +
                     std::to_string(kFeatureCount),
                 features_at);
  }
  TEEPNET_RETURN_IF_ERROR(schema::ExpectKey(r, kThreshold, "model"));
  TEEPNET_RETURN_IF_ERROR(schema::ReadFiniteFloat(r, "threshold", &model.threshold));
  TEEPNET_RETURN_IF_ERROR(schema::ExpectKey(r, kComponents, "model"));
  TEEPNET_RETURN_IF_ERROR(schema::ReadArray(r, 1, kMaxComponents, "components", &components));
  model.components.resize(components);
  for (Component& c : model.components) TEEPNET_RETURN_IF_ERROR(ReadComponent(r, &c));
  TEEPNET_RETURN_IF_ERROR(schema::ExpectEnd(r, "model"));
  TEEPNET_RETURN_IF_ERROR(ValidateModel(model));
  return model;
}

}  // namespace teepnet::workloads::telemetry
