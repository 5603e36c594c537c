// Internal to the processor: the state of one procedure run (Session) and of one manifest
// inside it (ManifestRun; dependencies get their own). Not part of the public API.
#ifndef TEEPNET_SUIT_SESSION_H_
#define TEEPNET_SUIT_SESSION_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/suit/authenticator.h"
#include "teepnet/suit/envelope.h"
#include "teepnet/suit/parameters.h"
#include "teepnet/suit/processor.h"
#include "teepnet/suit/report.h"

namespace teepnet::suit::internal {

enum class ProcedureKind : uint8_t { kInstall, kInvoke, kUninstall };

struct Session {
  Session(const ProcessorContext& c, const Limits& l, ProcedureKind k)
      : context(c), limits(l), kind(k) {}

  // Reads through the staged changes to the store.
  std::optional<Bytes> ReadContent(const ComponentId& id) const;
  void StageWrite(const ComponentId& id, Bytes content);
  void StageRemove(const ComponentId& id);

  const ProcessorContext& context;
  const Limits& limits;
  const ProcedureKind kind;
  StoreTransaction txn;
  Report report;
  std::optional<ReportRecord> last_failure;
  size_t depth = 0;  // open try-each / run-sequence / process-dependency frames
};

struct ManifestRun {
  Session* session = nullptr;
  const ManifestRun* parent = nullptr;
  Bytes owned_envelope;  // dependencies: a copy the views below point into
  Envelope envelope;
  VerifiedManifest verified;
  std::vector<uint64_t> path;  // dependency indices from the root manifest
  std::map<uint64_t, Parameters> params;
  std::vector<uint64_t> current{0};
  std::set<uint64_t> integrity_passed;
  int64_t section = 0;

  const Manifest& manifest() const { return verified.manifest; }
  // The component (or dependency) an index names.
  ComponentId IdOf(uint64_t index) const;
};

// Decodes and authenticates an envelope into a run (the root borrows `bytes`; pass
// `owned` for dependencies so the run keeps them alive).
Result<std::unique_ptr<ManifestRun>> OpenRun(Session& session, const ManifestRun* parent,
                                             ByteView bytes, Bytes owned);

// Refuses a manifest older than the one the store holds under the same key.
Status CheckRollback(const Session& session, const Manifest& manifest);

// Runs the shared sequence and then the sequence of `section`, if the manifest has it.
Status RunSection(ManifestRun& run, int64_t section);

// Runs one command sequence (bstr contents).
Status RunCommands(ManifestRun& run, ByteView sequence);

}  // namespace teepnet::suit::internal

#endif  // TEEPNET_SUIT_SESSION_H_
