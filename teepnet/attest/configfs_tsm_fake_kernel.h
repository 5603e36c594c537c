// Test-only: a TsmReportFs that plays the kernel side of configfs-tsm over a real temporary
// directory, synchronously and so deterministically. It forwards every call to the POSIX
// implementation and adds what configfs would do: mkdir populates the attribute files
// (provider, generation, privlevel_floor, inblob, privlevel, outblob, auxblob); a write to
// inblob or privlevel bumps generation, and a write to inblob fills outblob (and auxblob) from a
// backing Platform; rmdir removes the attributes with the entry. Knobs inject the failures the
// backend must refuse.
#ifndef TEEPNET_ATTEST_CONFIGFS_TSM_FAKE_KERNEL_H_
#define TEEPNET_ATTEST_CONFIGFS_TSM_FAKE_KERNEL_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "teepnet/attest/appraisal.h"
#include "teepnet/attest/configfs_tsm_platform.h"

namespace teepnet::attest::testing {

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  // Writes a file below path() (creating directories on the way).
  void WriteFile(const std::string& relative, ByteView data) const;
  size_t CountEntries(const std::string& relative) const;

 private:
  std::string path_;
};

class FakeTsmKernel final : public TsmReportFs {
 public:
  // `backing` produces outblob from inblob; it must outlive the fake.
  FakeTsmKernel(Platform* backing, std::string provider)
      : posix_(NewPosixTsmReportFs()), backing_(backing), provider_(std::move(provider)) {}

  // --- knobs ---
  bool omit_provider = false;      // the entry has no provider attribute
  size_t outblob_extra_bytes = 0;  // appended to outblob (oversize tests)
  int concurrent_writes = 0;       // next N outblob reads see another writer's bump
  uint64_t privlevel_floor = 0;
  std::function<Bytes()> auxblob;  // sev_guest certificate table; null: no auxblob file

  // --- what happened ---
  int entries_created = 0;
  int entries_removed = 0;
  std::string last_privlevel;  // text last written to privlevel
  Bytes last_inblob;

  bool IsDirectory(const std::string& path) override { return posix_->IsDirectory(path); }
  Status MakeDir(const std::string& path) override;
  Status RemoveDir(const std::string& path) override;
  Result<Bytes> Read(const std::string& path, size_t max_size) override;
  Status Write(const std::string& path, ByteView data) override;

 private:
  void Bump(const std::string& dir);
  std::unique_ptr<TsmReportFs> posix_;
  Platform* backing_;
  std::string provider_;
};

}  // namespace teepnet::attest::testing

#endif  // TEEPNET_ATTEST_CONFIGFS_TSM_FAKE_KERNEL_H_
