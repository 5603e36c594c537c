// A Platform whose calls are serialised: the Agent asks its platform for its own evidence on
// the TEEP thread while the relay threads of its confidential VMs ask it for guest evidence
// (runtime/vm_backend.h), and the simulated platforms are not thread-safe.
#ifndef TEEPNET_ATTEST_LOCKED_PLATFORM_H_
#define TEEPNET_ATTEST_LOCKED_PLATFORM_H_

#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "teepnet/attest/appraisal.h"

namespace teepnet::attest {

class LockedPlatform final : public Platform {
 public:
  explicit LockedPlatform(std::unique_ptr<Platform> inner) : inner_(std::move(inner)) {}
  Architecture architecture() const override { return inner_->architecture(); }
  EvidenceFormat format() const override { return inner_->format(); }
  Result<Bytes> GetEvidence(ByteView report_data) override {
    std::lock_guard<std::mutex> lock(mu_);
    return inner_->GetEvidence(report_data);
  }
  std::string measurement_hex() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return inner_->measurement_hex();
  }
  Result<Bytes> GetGuestEvidence(ByteView report_data, ByteView launch_measurement) override {
    std::lock_guard<std::mutex> lock(mu_);
    return inner_->GetGuestEvidence(report_data, launch_measurement);
  }

 private:
  std::unique_ptr<Platform> inner_;
  mutable std::mutex mu_;
};

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_LOCKED_PLATFORM_H_
