#include "crypto_counter.h"

#include <dlfcn.h>

#include <atomic>
#include <cstddef>
#include <cstdlib>

namespace teepnet::bench {
namespace {

std::atomic<uint64_t> g_signs{0};
std::atomic<uint64_t> g_verifies{0};
std::atomic<bool> g_active{false};

template <typename Fn>
Fn Next(const char* name) {
  void* sym = dlsym(RTLD_NEXT, name);
  if (sym == nullptr) std::abort();  // libcrypto must be loaded: teepnet/crypto links it
  return reinterpret_cast<Fn>(sym);
}

}  // namespace

CryptoCounts CountedCrypto() {
  return {g_signs.load(std::memory_order_relaxed), g_verifies.load(std::memory_order_relaxed)};
}

bool CryptoCounterActive() {
  return g_active.load(std::memory_order_relaxed);
}

}  // namespace teepnet::bench

// The OpenSSL 3 prototypes, with the context as an opaque pointer (no OpenSSL header here:
// only teepnet/crypto includes those).
extern "C" {

int EVP_DigestSign(void* ctx, unsigned char* sig, size_t* siglen, const unsigned char* tbs,
                   size_t tbslen) {
  using Fn = int (*)(void*, unsigned char*, size_t*, const unsigned char*, size_t);
  static const Fn real = teepnet::bench::Next<Fn>("EVP_DigestSign");
  teepnet::bench::g_active.store(true, std::memory_order_relaxed);
  // A call with no output buffer only asks for the signature length.
  if (sig != nullptr) teepnet::bench::g_signs.fetch_add(1, std::memory_order_relaxed);
  return real(ctx, sig, siglen, tbs, tbslen);
}

int EVP_DigestVerify(void* ctx, const unsigned char* sig, size_t siglen, const unsigned char* tbs,
                     size_t tbslen) {
  using Fn = int (*)(void*, const unsigned char*, size_t, const unsigned char*, size_t);
  static const Fn real = teepnet::bench::Next<Fn>("EVP_DigestVerify");
  teepnet::bench::g_active.store(true, std::memory_order_relaxed);
  teepnet::bench::g_verifies.fetch_add(1, std::memory_order_relaxed);
  return real(ctx, sig, siglen, tbs, tbslen);
}

// ECDSA verification (teepnet/crypto/signature.cc) hashes the message itself and verifies the
// digest with EVP_PKEY_verify on a per-thread context kept for the last key, so it never
// reaches EVP_DigestVerify; count it here.
int EVP_PKEY_verify(void* ctx, const unsigned char* sig, size_t siglen, const unsigned char* tbs,
                    size_t tbslen) {
  using Fn = int (*)(void*, const unsigned char*, size_t, const unsigned char*, size_t);
  static const Fn real = teepnet::bench::Next<Fn>("EVP_PKEY_verify");
  teepnet::bench::g_active.store(true, std::memory_order_relaxed);
  teepnet::bench::g_verifies.fetch_add(1, std::memory_order_relaxed);
  return real(ctx, sig, siglen, tbs, tbslen);
}

// ECDSA signing (teepnet/crypto/signature.cc) hashes the message itself and signs the digest
// with EVP_PKEY_sign on a context kept with the key, so it never reaches EVP_DigestSign either.
int EVP_PKEY_sign(void* ctx, unsigned char* sig, size_t* siglen, const unsigned char* tbs,
                  size_t tbslen) {
  using Fn = int (*)(void*, unsigned char*, size_t*, const unsigned char*, size_t);
  static const Fn real = teepnet::bench::Next<Fn>("EVP_PKEY_sign");
  teepnet::bench::g_active.store(true, std::memory_order_relaxed);
  if (sig != nullptr) teepnet::bench::g_signs.fetch_add(1, std::memory_order_relaxed);
  return real(ctx, sig, siglen, tbs, tbslen);
}

}  // extern "C"
