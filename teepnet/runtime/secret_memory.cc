#include "teepnet/runtime/secret_memory.h"

#include <cerrno>
#include <cstring>

#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "teepnet/base/secret_bytes.h"
#include "teepnet/runtime/errc.h"

namespace teepnet::runtime {
namespace {

size_t PageRound(size_t size) {
  const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  if (size == 0) return page;
  return (size + page - 1) / page * page;
}

// Returns the mapping, or nullptr with `reason` set.
uint8_t* MapSecretmem(size_t length, std::string* reason) {
  int fd = static_cast<int>(::syscall(kSysMemfdSecret, 0u));
  if (fd < 0) {
    *reason = std::string("memfd_secret: ") + std::strerror(errno) +
              (errno == ENOSYS ? " (kernel without CONFIG_SECRETMEM, secretmem.enable=0, or a "
                                 "seccomp filter)"
                               : "");
    return nullptr;
  }
  void* p = MAP_FAILED;
  if (::ftruncate(fd, static_cast<off_t>(length)) != 0) {
    *reason = std::string("memfd_secret ftruncate: ") + std::strerror(errno);
  } else {
    p = ::mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) *reason = std::string("memfd_secret mmap: ") + std::strerror(errno);
  }
  ::close(fd);  // the mapping keeps the memory alive
  return p == MAP_FAILED ? nullptr : static_cast<uint8_t*>(p);
}

}  // namespace

Result<SecretMemory> SecretMemory::Allocate(size_t size) {
  SecretMemory m;
  m.mapped_ = PageRound(size);
  m.data_ = MapSecretmem(m.mapped_, &m.fallback_reason_);
  if (m.data_ != nullptr) {
    m.secretmem_ = true;
  } else {
    void* p =
        ::mmap(nullptr, m.mapped_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
      return Error(Errc::kSystem, std::string("secret memory mmap: ") + std::strerror(errno));
    }
    m.data_ = static_cast<uint8_t*>(p);
    ::madvise(p, m.mapped_, MADV_DONTDUMP);
    if (::mlock(p, m.mapped_) != 0) {
      m.fallback_reason_ += std::string("; mlock: ") + std::strerror(errno);
    }
  }
  m.size_ = size;
  return m;
}

Result<SecretMemory> SecretMemory::CopyOf(ByteView bytes) {
  TEEPNET_ASSIGN_OR_RETURN(SecretMemory m, Allocate(bytes.size()));
  if (!bytes.empty()) std::memcpy(m.data_, bytes.data(), bytes.size());
  return m;
}

SecretMemory::~SecretMemory() {
  Release();
}

SecretMemory::SecretMemory(SecretMemory&& other) noexcept
    : data_(other.data_),
      size_(other.size_),
      mapped_(other.mapped_),
      secretmem_(other.secretmem_),
      fallback_reason_(std::move(other.fallback_reason_)) {
  other.data_ = nullptr;
  other.size_ = other.mapped_ = 0;
}

SecretMemory& SecretMemory::operator=(SecretMemory&& other) noexcept {
  if (this != &other) {
    Release();
    data_ = other.data_;
    size_ = other.size_;
    mapped_ = other.mapped_;
    secretmem_ = other.secretmem_;
    fallback_reason_ = std::move(other.fallback_reason_);
    other.data_ = nullptr;
    other.size_ = other.mapped_ = 0;
  }
  return *this;
}

void SecretMemory::Release() {
  if (data_ == nullptr) return;
  SecureWipe(data_, mapped_);
  ::munmap(data_, mapped_);
  data_ = nullptr;
  size_ = mapped_ = 0;
}

}  // namespace teepnet::runtime
