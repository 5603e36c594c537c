// Test helpers for the instance tests: temporary state and log directories, a channel to
// the instance, and a UA-style request/answer over it.
#ifndef TEEPNET_RUNTIME_INSTANCE_TEST_UTIL_H_
#define TEEPNET_RUNTIME_INSTANCE_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include <sys/socket.h>
#include <unistd.h>

#include "teepnet/runtime/instance.h"
#include "teepnet/runtime/ta_wire.h"

namespace teepnet::runtime::testing {

// A temporary directory removed (recursively) at the end of the test.
class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/teepnet-runtime-test.XXXXXX";
    if (::mkdtemp(tmpl) != nullptr) path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Both ends of an instance channel; Take the instance's end for InstanceSpec::channel_fd.
class Channel {
 public:
  Channel() { ok_ = ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds_) == 0; }
  ~Channel() {
    for (int fd : fds_) {
      if (fd >= 0) ::close(fd);
    }
  }
  bool ok() const { return ok_; }
  int host() const { return fds_[0]; }
  int instance() const { return fds_[1]; }
  void CloseInstanceEnd() {
    ::close(fds_[1]);
    fds_[1] = -1;
  }

 private:
  int fds_[2] = {-1, -1};
  bool ok_ = false;
};

// Sends `command` as a UA message and returns the TA's answer ("<error>" when none).
inline std::string Ask(int fd, const std::string& command) {
  if (!WriteFrame(fd, FrameType::kFromUa, AsBytes(command)).ok()) return "<write error>";
  auto frame = ReadFrame(fd);
  if (!frame.ok()) return "<" + frame.error().ToString() + ">";
  if (frame->type != FrameType::kToUa) return "<unexpected frame>";
  return std::string(AsChars(frame->payload));
}

}  // namespace teepnet::runtime::testing

#endif  // TEEPNET_RUNTIME_INSTANCE_TEST_UTIL_H_
