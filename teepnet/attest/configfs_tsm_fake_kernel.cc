#include "teepnet/attest/configfs_tsm_fake_kernel.h"

#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace teepnet::attest::testing {
namespace {

std::string DirOf(const std::string& path) {
  return path.substr(0, path.rfind('/'));
}
std::string NameOf(const std::string& path) {
  return path.substr(path.rfind('/') + 1);
}

void Put(const std::string& path, ByteView data) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
}
void PutText(const std::string& path, const std::string& text) {
  Put(path, ByteView(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

uint64_t ReadGeneration(const std::string& dir) {
  std::ifstream f(dir + "/generation");
  uint64_t g = 0;
  f >> g;
  return g;
}

}  // namespace

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base && *base ? base : "/tmp") + "/teepnet-tsm-XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) std::abort();
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void TempDir::WriteFile(const std::string& relative, ByteView data) const {
  const std::string full = path_ + "/" + relative;
  std::filesystem::create_directories(DirOf(full));
  Put(full, data);
}

size_t TempDir::CountEntries(const std::string& relative) const {
  size_t n = 0;
  for ([[maybe_unused]] const auto& e :
       std::filesystem::directory_iterator(path_ + "/" + relative)) {
    ++n;
  }
  return n;
}

Status FakeTsmKernel::MakeDir(const std::string& path) {
  TEEPNET_RETURN_IF_ERROR(posix_->MakeDir(path));
  ++entries_created;
  if (!omit_provider) PutText(path + "/provider", provider_ + "\n");
  PutText(path + "/generation", "0\n");
  PutText(path + "/privlevel_floor", std::to_string(privlevel_floor) + "\n");
  for (const char* empty : {"inblob", "privlevel", "outblob"}) PutText(path + "/" + empty, "");
  if (auxblob) PutText(path + "/auxblob", "");
  return {};
}

Status FakeTsmKernel::RemoveDir(const std::string& path) {
  // configfs drops the attributes with the entry; a plain directory needs them removed first.
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(path, ec)) {
    std::filesystem::remove(e.path(), ec);
  }
  TEEPNET_RETURN_IF_ERROR(posix_->RemoveDir(path));
  ++entries_removed;
  return {};
}

void FakeTsmKernel::Bump(const std::string& dir) {
  PutText(dir + "/generation", std::to_string(ReadGeneration(dir) + 1) + "\n");
}

Status FakeTsmKernel::Write(const std::string& path, ByteView data) {
  TEEPNET_RETURN_IF_ERROR(posix_->Write(path, data));
  const std::string dir = DirOf(path), name = NameOf(path);
  if (name == "privlevel") {
    last_privlevel.assign(data.begin(), data.end());
    Bump(dir);
  } else if (name == "inblob") {
    last_inblob.assign(data.begin(), data.end());
    Bump(dir);
    auto evidence = backing_->GetEvidence(data);
    if (!evidence.ok()) return evidence.error();
    evidence->insert(evidence->end(), outblob_extra_bytes, 0);
    Put(dir + "/outblob", *evidence);
    if (auxblob) Put(dir + "/auxblob", auxblob());
  }
  return {};
}

Result<Bytes> FakeTsmKernel::Read(const std::string& path, size_t max_size) {
  if (NameOf(path) == "outblob" && concurrent_writes > 0) {
    // Another process wrote this entry's inblob between our write and our read.
    --concurrent_writes;
    Bump(DirOf(path));
  }
  return posix_->Read(path, max_size);
}

}  // namespace teepnet::attest::testing
