// The Agent's TA instance identities on disk (evidence/instance_keyring.h): one file per
// instance in a 0700 directory of the Agent's data directory, mode 0600, written atomically
// (temporary file + rename), read back when the Agent starts so the keys an EAR names keep
// working across restarts.
//
//   <dir>/<sha256(name) hex>.instance   deterministic CBOR
//     {1: name tstr, 2: measurement bstr .size 32, 3: X25519 private key bstr .size 32,
//      4: Ed25519 private key bstr .size 32}
//
// Files are named by a digest of the instance name because a name (the hex of a component id)
// may be longer than a file name may be. A file whose name is not the digest of the name it
// holds, or readable by group or others, is refused at Open (kBadConfig): a key file someone
// else could read or swap is not the Agent's secret any more.
//
// Not thread-safe (the Agent handles one message at a time). One process per directory.
#ifndef TEEPNET_SERVICES_AGENT_FILE_INSTANCE_KEYRING_H_
#define TEEPNET_SERVICES_AGENT_FILE_INSTANCE_KEYRING_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "teepnet/evidence/instance_keyring.h"

namespace teepnet::agentd {

// An instance file is a few dozen bytes plus the name.
inline constexpr size_t kMaxInstanceFileBytes = 8 * 1024;
// Instances kept in one keyring (one per installed TC; a directory beyond this is refused).
inline constexpr size_t kMaxInstances = 1024;

class FileInstanceKeyring final : public evidence::InstanceKeyring {
 public:
  // Opens (creating it 0700 when missing) the directory and loads every instance file.
  static Result<std::unique_ptr<FileInstanceKeyring>> Open(const std::string& dir);

  Result<const evidence::InstanceIdentity*> Ensure(const suit::ComponentId& id,
                                                   ByteView image) override;
  const evidence::InstanceIdentity* Find(std::string_view name) const override;

  size_t size() const { return identities_.size(); }
  // The file an instance lives in (tests look at its mode).
  std::string PathFor(std::string_view name) const;

 private:
  explicit FileInstanceKeyring(std::string dir) : dir_(std::move(dir)) {}
  Status Load();
  Status Store(const evidence::InstanceIdentity& identity) const;

  std::string dir_;
  std::map<std::string, std::unique_ptr<evidence::InstanceIdentity>, std::less<>> identities_;
};

}  // namespace teepnet::agentd

#endif  // TEEPNET_SERVICES_AGENT_FILE_INSTANCE_KEYRING_H_
