// Strict CBOR codecs for everything the PCE workload passes across the TEE boundary. All four
// are arrays in Core Deterministic Encoding (RFC 8949 §4.2.1); decoders reject anything else,
// bytes after the item, and values outside the named limits (limits.h), with the offset:
//
//   topology = [label: tstr, nodes: [* node], links: [* link]]
//   node     = [name: tstr, tier: 0..2, x_km: int, y_km: int]
//   link     = [a: uint, b: uint, igp_metric: uint, te_metric: uint, delay_us: uint,
//               capacity_kbps: uint, utilised_ab_kbps: uint, utilised_ba_kbps: uint]
//
//   batch    = [label: tstr, requests: [* request]]
//   request  = [id: uint, src: tstr, dst: tstr, bandwidth_kbps: uint, metric: 0..2,
//               max_delay_us: uint / null, max_hops: uint / null,
//               exclude_nodes: [* tstr], exclude_links: [* [tstr, tstr]]]
//
//   user     = [compute_ns: uint, results: [* result]]
//   result   = [id: uint, outcome: 0..8, nodes: [* tstr], cost: uint, delay_us: uint]
//              ; outcome 0 (found): at least two nodes; otherwise no nodes, cost and delay 0
//
//   provider = [requests: uint, served: uint, compute_ns: uint,
//               reservations: [* [link: uint, direction: 0..1, kbps: uint]]]
//              ; sorted by (link, direction), kbps > 0, served <= requests
//
// Decoded inputs have also passed ValidateTopology / ValidateBatch.
#ifndef TEEPNET_WORKLOADS_PCE_CODEC_H_
#define TEEPNET_WORKLOADS_PCE_CODEC_H_

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/workloads/pce/model.h"

namespace teepnet::workloads::pce {

Result<Bytes> EncodeTopology(const Topology& topology);
Result<Topology> DecodeTopology(ByteView bytes);

Result<Bytes> EncodeBatch(const RequestBatch& batch);
Result<RequestBatch> DecodeBatch(ByteView bytes);

Result<Bytes> EncodeUserOutput(const UserOutput& output);
Result<UserOutput> DecodeUserOutput(ByteView bytes);

Result<Bytes> EncodeProviderOutput(const ProviderOutput& output);
Result<ProviderOutput> DecodeProviderOutput(ByteView bytes);

}  // namespace teepnet::workloads::pce

#endif  // TEEPNET_WORKLOADS_PCE_CODEC_H_
