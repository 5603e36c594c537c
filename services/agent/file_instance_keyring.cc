#include "services/agent/file_instance_keyring.h"

#include <sys/stat.h>

#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>

#include "services/common/data_dir.h"
#include "services/common/errc.h"
#include "teepnet/base/file.h"
#include "teepnet/base/hex.h"
#include "teepnet/base/secret_bytes.h"
#include "teepnet/cbor/decode_options.h"
#include "teepnet/cbor/reader.h"
#include "teepnet/cbor/writer.h"
#include "teepnet/crypto/hash.h"

namespace teepnet::agentd {
namespace {

using common::Errc;

constexpr char kSuffix[] = ".instance";
constexpr size_t kMeasurementBytes = 32;  // SHA-256
constexpr size_t kRawKeyBytes = 32;       // X25519 and Ed25519 private keys (RFC 7748, 8032)

std::string FileStem(std::string_view name) {
  return ToHex(crypto::Sha256(AsBytes(name)));
}

Error Corrupt(const std::string& path, std::string what) {
  return Error(Errc::kBadConfig, path + ": " + std::move(what));
}

// Reads one file's record: {1: name, 2: measurement, 3: X25519 d, 4: Ed25519 d}, deterministic.
Result<evidence::InstanceIdentity> DecodeRecord(const std::string& path, ByteView bytes) {
  cbor::Reader r(bytes, cbor::DecodeOptions::Deterministic());
  size_t n = 0;
  if (!r.ReadMapHeader(&n).ok() || n != 4) return Corrupt(path, "not a map of 4 entries");
  ByteView fields[4];
  std::string_view name;
  for (uint64_t key = 1; key <= 4; ++key) {
    uint64_t got = 0;
    if (!r.ReadUint(&got).ok() || got != key) return Corrupt(path, "unexpected key");
    Status read = key == 1 ? r.ReadText(&name) : r.ReadBytes(&fields[key - 1]);
    if (!read.ok()) return Corrupt(path, "entry " + std::to_string(key) + " has the wrong type");
  }
  if (!r.ExpectEnd().ok()) return Corrupt(path, "bytes after the record");
  if (fields[1].size() != kMeasurementBytes || fields[2].size() != kRawKeyBytes ||
      fields[3].size() != kRawKeyBytes) {
    return Corrupt(path, "a measurement or key of the wrong size");
  }
  auto hpke = crypto::PrivateKey::FromRaw(crypto::KeyType::kX25519, fields[2]);
  auto proof = crypto::PrivateKey::FromRaw(crypto::KeyType::kEd25519, fields[3]);
  if (!hpke.ok() || !proof.ok()) return Corrupt(path, "unusable key");
  return evidence::InstanceIdentity{std::string(name), ToBytes(fields[1]), *std::move(hpke),
                                    *std::move(proof)};
}

}  // namespace

Result<std::unique_ptr<FileInstanceKeyring>> FileInstanceKeyring::Open(const std::string& dir) {
  TEEPNET_RETURN_IF_ERROR(common::EnsureDirectory(dir, 0700));
  std::unique_ptr<FileInstanceKeyring> keyring(new FileInstanceKeyring(dir));
  TEEPNET_RETURN_IF_ERROR(keyring->Load());
  return keyring;
}

std::string FileInstanceKeyring::PathFor(std::string_view name) const {
  return dir_ + "/" + FileStem(name) + kSuffix;
}

Status FileInstanceKeyring::Load() {
  namespace fs = std::filesystem;
  std::error_code ec;
  for (fs::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string path = it->path().string();
    const std::string file = it->path().filename().string();
    // WriteFileAtomic's temporary files that a crash left behind hold key material: remove.
    if (file.find(".tmp.") != std::string::npos) {
      fs::remove(it->path(), ec);
      ec.clear();
      continue;
    }
    if (!file.ends_with(kSuffix)) continue;
    if (identities_.size() >= kMaxInstances) {
      return Error(Errc::kBadConfig,
                   dir_ + " holds more than " + std::to_string(kMaxInstances) + " instances");
    }
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
      return Corrupt(path, "not a regular file");
    }
    if ((st.st_mode & 077) != 0) {
      return Corrupt(path, "accessible by group or others; the instance keys are not private");
    }
    TEEPNET_ASSIGN_OR_RETURN(Bytes raw, ReadFile(path, kMaxInstanceFileBytes));
    SecretBytes secret(raw);
    SecureWipe(raw.data(), raw.size());
    TEEPNET_ASSIGN_OR_RETURN(evidence::InstanceIdentity identity,
                             DecodeRecord(path, secret.view()));
    // The file name is the digest of the name inside: a file copied over another instance's
    // would hand that instance foreign keys.
    if (file != FileStem(identity.name) + kSuffix) {
      return Corrupt(path, "does not hold instance " + file);
    }
    std::string name = identity.name;
    identities_[name] = std::make_unique<evidence::InstanceIdentity>(std::move(identity));
  }
  if (ec) return Error(Errc::kIo, dir_ + ": " + ec.message());
  return OkStatus();
}

Status FileInstanceKeyring::Store(const evidence::InstanceIdentity& identity) const {
  SecretBytes hpke = identity.hpke.RawPrivate();
  SecretBytes proof = identity.proof.RawPrivate();
  // Reserved up front so the writer never reallocates and leaves key bytes in freed memory.
  cbor::Writer w(identity.name.size() + identity.measurement.size() + hpke.size() + proof.size() +
                 64);
  w.WriteMapHeader(4);
  w.WriteUint(1);
  w.WriteText(identity.name);
  w.WriteUint(2);
  w.WriteBytes(identity.measurement);
  w.WriteUint(3);
  w.WriteBytes(hpke.view());
  w.WriteUint(4);
  w.WriteBytes(proof.view());
  Bytes record = std::move(w).Take();
  Status written = WriteFileAtomic(PathFor(identity.name), record, 0600);
  SecureWipe(record.data(), record.size());
  return written;
}

Result<const evidence::InstanceIdentity*> FileInstanceKeyring::Ensure(const suit::ComponentId& id,
                                                                      ByteView image) {
  std::string name = evidence::InstanceNameOf(id);
  Bytes measurement = evidence::MeasureImage(image);
  auto it = identities_.find(name);
  if (it != identities_.end() && it->second->measurement == measurement) return it->second.get();
  if (it == identities_.end() && identities_.size() >= kMaxInstances) {
    return Error(Errc::kBadConfig, "more than " + std::to_string(kMaxInstances) + " instances");
  }
  // A new component, or a new version of it: fresh keys, so nothing sealed to the previous
  // version's key opens in the new one.
  TEEPNET_ASSIGN_OR_RETURN(crypto::PrivateKey hpke,
                           crypto::PrivateKey::Generate(crypto::KeyType::kX25519));
  TEEPNET_ASSIGN_OR_RETURN(crypto::PrivateKey proof,
                           crypto::PrivateKey::Generate(crypto::KeyType::kEd25519));
  auto identity = std::make_unique<evidence::InstanceIdentity>(
      evidence::InstanceIdentity{name, std::move(measurement), std::move(hpke), std::move(proof)});
  // On disk first: an identity the Agent lists in evidence must survive a restart.
  TEEPNET_RETURN_IF_ERROR(Store(*identity));
  const evidence::InstanceIdentity* out = identity.get();
  identities_[name] = std::move(identity);
  return out;
}

const evidence::InstanceIdentity* FileInstanceKeyring::Find(std::string_view name) const {
  auto it = identities_.find(name);
  return it == identities_.end() ? nullptr : it->second.get();
}

}  // namespace teepnet::agentd
