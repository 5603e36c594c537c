// teepnet-guest-agent: /init (pid 1) of a confidential VM started by runtime::VmBackend
// (spec/instance-runtimes.md §3). It mounts /proc, /sys and /dev, holds the second serial port
// (/dev/ttyS1, the host link of runtime/vm_link.h) open in raw mode for its whole life, greets
// the host until it answers, then starts the TA (/ta, with /config's argv and environment) with
// descriptor 3 on one end of a socketpair and relays the TA channel between that socketpair and
// the link. When the TA exits it reports how, and powers the VM off.
//
// The guest is its own TEE (runtime/vm_guest_key.h): before the TA starts, the agent makes the
// guest's X25519 key, asks the platform over the link for evidence binding it (the host plays
// the guest's secure processor) and announces key and evidence to the Agent as the channel's
// first frame. Every PD then arrives sealed to that key (form 3); the agent opens it and hands
// the TA the inner payload. A PD in any other form is refused: the host must not be able to
// give the TA keys or data of its own choosing.
//
// Statically linked (libc, teepnet_base and static copies of crypto/hpke): the initramfs holds
// nothing it could load.
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "teepnet/base/byte_reader.h"
#include "teepnet/base/file.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/runtime/ta_wire.h"
#include "teepnet/runtime/vm_guest_key.h"
#include "teepnet/runtime/vm_link.h"

namespace {

using teepnet::Bytes;
using teepnet::ByteView;
namespace rt = teepnet::runtime;

constexpr const char* kLinkDevice = "/dev/ttyS1";
constexpr const char* kTaPath = "/ta";
constexpr const char* kConfigPath = "/config";
// The TA runs without root inside the guest (defence in depth: the guest is the TEE, but the TA
// has no business remounting it or talking to the link directly).
constexpr uid_t kTaUid = 1000;
constexpr gid_t kTaGid = 1000;
constexpr int kHelloIntervalMs = 200;
// What either direction may queue: one maximal TA frame and some. The host cannot be slowed down
// over a serial line without flow control, so a host that floods beyond this ends the link.
constexpr size_t kMaxQueuedBytes = rt::kMaxFramePayload + rt::kFrameHeaderBytes + (1u << 20);
constexpr size_t kReadChunk = 16 * 1024;

void Say(const char* format, ...) {
  char line[512];
  va_list ap;
  va_start(ap, format);
  std::vsnprintf(line, sizeof line, format, ap);
  va_end(ap);
  std::fprintf(stderr, "teepnet-guest-agent: %s\n", line);
}

[[noreturn]] void PowerOff() {
  ::sync();
  ::reboot(RB_POWER_OFF);
  // pid 1 may not exit (the kernel would panic; panic=-1 on the command line reboots, which
  // -no-reboot turns into a qemu exit as well).
  for (;;) ::pause();
}

[[noreturn]] void Fail(const char* what) {
  Say("%s: %s", what, std::strerror(errno));
  PowerOff();
}

void MountBasics() {
  ::mkdir("/proc", 0555);
  ::mkdir("/sys", 0555);
  ::mkdir("/dev", 0755);
  ::mkdir("/tmp", 01777);
  if (::mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0) {
    Say("mount /proc: %s", std::strerror(errno));
  }
  if (::mount("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0) {
    Say("mount /sys: %s", std::strerror(errno));
  }
  if (::mount("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755") != 0 && errno != EBUSY) {
    Say("mount /dev: %s", std::strerror(errno));
  }
  if (::mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777,size=16m") != 0) {
    Say("mount /tmp: %s", std::strerror(errno));
  }
}

int OpenLink() {
  const int fd = ::open(kLinkDevice, O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) Fail("open /dev/ttyS1");
  termios t{};
  if (::tcgetattr(fd, &t) != 0) Fail("tcgetattr /dev/ttyS1");
  ::cfmakeraw(&t);
  t.c_cflag |= CLOCAL | CREAD;
  t.c_cflag &= ~static_cast<tcflag_t>(CRTSCTS);
  t.c_iflag &= ~static_cast<tcflag_t>(IXON | IXOFF | IXANY);
  t.c_cc[VMIN] = 1;
  t.c_cc[VTIME] = 0;
  ::cfsetispeed(&t, B115200);
  ::cfsetospeed(&t, B115200);
  if (::tcsetattr(fd, TCSANOW, &t) != 0) Fail("tcsetattr /dev/ttyS1");
  ::tcflush(fd, TCIOFLUSH);
  return fd;
}

// Writes all of `bytes` to the (non-blocking) link, waiting for room.
bool WriteLinkAll(int fd, ByteView bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n > 0) {
      bytes = bytes.subspan(static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) {
      pollfd p{fd, POLLOUT, 0};
      ::poll(&p, 1, -1);
      continue;
    }
    return false;
  }
  return true;
}

// Sends kHello until the host acknowledges; bytes before the kAck are not the host's.
// What arrived after the kAck stays in `decoder` for the relay.
void Handshake(int link, rt::LinkDecoder& decoder) {
  const uint8_t version = rt::kLinkVersion;
  const Bytes hello = rt::EncodeLinkFrame(rt::LinkKind::kHello, ByteView(&version, 1));
  uint8_t buffer[512];
  for (;;) {
    if (!WriteLinkAll(link, hello)) Fail("write hello");
    pollfd p{link, POLLIN, 0};
    if (::poll(&p, 1, kHelloIntervalMs) <= 0) continue;
    const ssize_t n = ::read(link, buffer, sizeof buffer);
    if (n <= 0) continue;
    decoder.Feed(ByteView(buffer, static_cast<size_t>(n)));
    for (;;) {
      auto frame = decoder.Next();
      if (!frame.ok()) {
        // Line noise before the host's first frame: start over with a fresh decoder.
        decoder = rt::LinkDecoder();
        break;
      }
      if (!frame->has_value()) break;
      if ((*frame)->kind == rt::LinkKind::kAck) return;
    }
  }
}

// Asks the host's platform for evidence binding `report_data`. Frames other than the answer
// that arrive meanwhile (kData for the TA, kClose) are kept in `early` for the relay. There is
// no timeout on the guest's side: under TCG with -icount the guest's clock jumps ahead while it
// waits, so a guest timer says nothing about real time. The Agent bounds the wait in real time
// (it stops a VM that announces no key) and a host that never answers gets nothing either.
rt::EvidenceReply RequestEvidence(int link, rt::LinkDecoder& decoder, ByteView report_data,
                                  std::vector<rt::LinkFrame>& early) {
  const Bytes request = rt::EncodeLinkFrame(rt::LinkKind::kEvidenceRequest, report_data);
  if (!WriteLinkAll(link, request)) Fail("write evidence request");
  uint8_t buffer[4096];
  for (;;) {
    for (;;) {
      auto frame = decoder.Next();
      if (!frame.ok()) {
        Say("host link: %s", frame.error().ToString().c_str());
        PowerOff();
      }
      if (!frame->has_value()) break;
      if ((*frame)->kind == rt::LinkKind::kEvidence) {
        auto reply = rt::DecodeEvidenceReply((*frame)->payload);
        if (reply.ok()) return *std::move(reply);
        return rt::EvidenceReply{false, {}, "the host's evidence reply is malformed"};
      }
      if ((*frame)->kind != rt::LinkKind::kAck) early.push_back(std::move(**frame));
    }
    pollfd p{link, POLLIN, 0};
    if (::poll(&p, 1, -1) <= 0) continue;
    const ssize_t n = ::read(link, buffer, sizeof buffer);
    if (n > 0) decoder.Feed(ByteView(buffer, static_cast<size_t>(n)));
  }
}

// The host -> TA direction of the channel, parsed frame by frame: kPd frames must be sealed to
// the guest key (form 3) and reach the TA opened; every other frame passes unchanged.
class HostToTa {
 public:
  explicit HostToTa(const teepnet::crypto::PrivateKey& guest_key) : guest_key_(guest_key) {}

  // Appends the frames completed by `bytes` to `out`; false (with the reason said) when the
  // host sent something the TA must not get.
  bool Feed(ByteView bytes, Bytes& out) {
    teepnet::Append(pending_, bytes);
    for (;;) {
      if (pending_.size() < rt::kFrameHeaderBytes) return true;
      auto header = rt::ParseFrameHeader(ByteView(pending_).first(rt::kFrameHeaderBytes));
      if (!header.ok()) {
        Say("channel from the host: %s", header.error().ToString().c_str());
        return false;
      }
      const size_t total = rt::kFrameHeaderBytes + header->length;
      if (pending_.size() < total) return true;
      const ByteView payload = ByteView(pending_).subspan(rt::kFrameHeaderBytes, header->length);
      if (header->type == rt::FrameType::kPd) {
        auto opened = rt::OpenPdInGuest(guest_key_, payload);
        if (!opened.ok()) {
          Say("PD refused: %s", opened.error().ToString().c_str());
          return false;
        }
        AppendFrame(out, rt::FrameType::kPd, opened->view());
      } else if (header->type == rt::FrameType::kFromUa) {
        teepnet::Append(out, ByteView(pending_).first(total));
      } else {
        Say("channel from the host: a frame of type %d is not for the TA",
            static_cast<int>(header->type));
        return false;
      }
      pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(total));
    }
  }

 private:
  static void AppendFrame(Bytes& out, rt::FrameType type, ByteView payload) {
    out.push_back(static_cast<uint8_t>(type));
    const auto n = static_cast<uint32_t>(payload.size());
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(n >> shift));
    teepnet::Append(out, payload);
  }

  const teepnet::crypto::PrivateKey& guest_key_;
  Bytes pending_;
};

std::vector<char*> CStrings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// Forks the TA with the channel as descriptor 3; stdout and stderr stay the console.
pid_t StartTa(int channel, rt::GuestConfig& config) {
  std::vector<std::string> argv_strings{"ta"};
  argv_strings.insert(argv_strings.end(), config.args.begin(), config.args.end());
  std::vector<char*> argv = CStrings(argv_strings);
  std::vector<char*> envp = CStrings(config.env);
  const pid_t pid = ::fork();
  if (pid != 0) return pid;
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  const int null_fd = ::open("/dev/null", O_RDONLY);
  if (null_fd >= 0) ::dup2(null_fd, 0);
  if (::dup2(channel, rt::kChannelFd) < 0) ::_exit(126);
  ::close_range(rt::kChannelFd + 1, ~0U, 0);
  ::setsid();
  const rlimit no_core{0, 0};
  ::setrlimit(RLIMIT_CORE, &no_core);
  if (::setgroups(0, nullptr) != 0 || ::setgid(kTaGid) != 0 || ::setuid(kTaUid) != 0) {
    ::_exit(126);
  }
  ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
  ::chdir("/");
  ::execve(kTaPath, argv.data(), envp.data());
  std::fprintf(stderr, "teepnet-guest-agent: exec /ta: %s\n", std::strerror(errno));
  ::_exit(127);
}

// Moves what it can of `queue` to `fd` (non-blocking); false on a hard error.
bool Flush(int fd, Bytes& queue, bool socket) {
  while (!queue.empty()) {
    const ssize_t n = socket ? ::send(fd, queue.data(), queue.size(), MSG_NOSIGNAL | MSG_DONTWAIT)
                             : ::write(fd, queue.data(), queue.size());
    if (n > 0) {
      queue.erase(queue.begin(), queue.begin() + n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return true;
    return false;
  }
  return true;
}

rt::TaExitReport ReportOf(int status) {
  rt::TaExitReport report;
  if (WIFSIGNALED(status)) {
    report.signaled = true;
    report.value = static_cast<uint32_t>(WTERMSIG(status));
  } else {
    report.value = static_cast<uint32_t>(WEXITSTATUS(status));
  }
  return report;
}

[[noreturn]] void Relay(int link, rt::LinkDecoder& decoder, std::vector<rt::LinkFrame> early,
                        HostToTa& from_host, int channel, pid_t ta, int sigfd, Bytes to_host) {
  Bytes to_ta;
  bool ta_open = true;         // the TA's end may still send
  bool close_pending = false;  // the host closed: shut the TA's input once to_ta is written
  bool input_shut = false;
  bool ta_exited = false;
  int ta_status = 0;
  std::vector<uint8_t> buffer(kReadChunk);
  // Frames for the TA; kClose; late kAck repeats are ignored.
  auto take = [&](rt::LinkFrame& f) {
    if (f.kind == rt::LinkKind::kData && !close_pending) {
      if (to_ta.size() + f.payload.size() > kMaxQueuedBytes) {
        Say("host link: the host sent more than the TA takes");
        PowerOff();
      }
      // A refused PD ends the guest: the TA never sees what the host made up.
      if (!from_host.Feed(f.payload, to_ta)) PowerOff();
    } else if (f.kind == rt::LinkKind::kClose) {
      close_pending = true;
    }
  };
  auto drain = [&] {
    for (;;) {
      auto frame = decoder.Next();
      if (!frame.ok()) {
        Say("host link: %s", frame.error().ToString().c_str());
        PowerOff();
      }
      if (!frame->has_value()) return;
      take(**frame);
    }
  };
  for (rt::LinkFrame& f : early) take(f);  // what came before the evidence
  drain();                                 // and after it
  for (;;) {
    if (ta_exited && !ta_open) break;
    pollfd fds[3];
    fds[0] = {link, static_cast<short>(POLLIN | (to_host.empty() ? 0 : POLLOUT)), 0};
    short channel_events = 0;
    if (ta_open && to_host.size() < kMaxQueuedBytes) channel_events |= POLLIN;
    if (!to_ta.empty()) channel_events |= POLLOUT;
    fds[1] = {channel_events ? channel : -1, channel_events, 0};
    fds[2] = {sigfd, POLLIN, 0};
    if (::poll(fds, 3, -1) < 0) {
      if (errno == EINTR) continue;
      Fail("poll");
    }
    if (fds[2].revents & POLLIN) {
      signalfd_siginfo info;
      while (::read(sigfd, &info, sizeof info) > 0) {
      }
      int status = 0;
      pid_t pid;
      // pid 1 reaps every orphan, and notes the TA's own end.
      while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0) {
        if (pid == ta) {
          ta_exited = true;
          ta_status = status;
        }
      }
    }
    if (fds[0].revents & POLLIN) {
      const ssize_t n = ::read(link, buffer.data(), buffer.size());
      if (n > 0) {
        decoder.Feed(ByteView(buffer.data(), static_cast<size_t>(n)));
        drain();
      }
    }
    if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
      const ssize_t n = ::recv(channel, buffer.data(), buffer.size(), MSG_DONTWAIT);
      if (n > 0) {
        rt::AppendDataFrames(to_host, ByteView(buffer.data(), static_cast<size_t>(n)));
      } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
        ta_open = false;
      }
    }
    if (!to_ta.empty() && !Flush(channel, to_ta, true)) to_ta.clear();
    if (close_pending && to_ta.empty() && !input_shut) {
      ::shutdown(channel, SHUT_WR);
      input_shut = true;
    }
    if (!to_host.empty() && !Flush(link, to_host, false)) Fail("write to the host link");
  }
  Bytes exit_frame =
      rt::EncodeLinkFrame(rt::LinkKind::kTaExit, rt::EncodeTaExit(ReportOf(ta_status)));
  teepnet::Append(to_host, exit_frame);
  WriteLinkAll(link, to_host);
  ::tcdrain(link);
  if (WIFSIGNALED(ta_status)) {
    Say("the TA ended with signal %d", WTERMSIG(ta_status));
  } else {
    Say("the TA exited with %d", WEXITSTATUS(ta_status));
  }
  PowerOff();
}

}  // namespace

int main() {
  if (::getpid() != 1) {
    Say("must run as /init (pid 1) of a VM started by the teepnet VM backend");
    return 2;
  }
  MountBasics();
  rt::GuestConfig config;
  if (auto bytes = teepnet::ReadFile(kConfigPath, rt::kMaxGuestConfigBytes); bytes.ok()) {
    auto decoded = rt::DecodeGuestConfig(*bytes);
    if (!decoded.ok()) {
      Say("/config: %s", decoded.error().ToString().c_str());
      PowerOff();
    }
    config = *std::move(decoded);
  }
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGCHLD);
  ::sigprocmask(SIG_BLOCK, &mask, nullptr);
  const int sigfd = ::signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
  if (sigfd < 0) Fail("signalfd");

  const int link = OpenLink();
  rt::LinkDecoder decoder;
  Handshake(link, decoder);

  // The guest's own key, made here (the kernel's RNG is seeded from RDRAND/virtio-less jitter
  // by now; getrandom blocks until it is), and the platform's evidence for it.
  auto guest_key = teepnet::crypto::PrivateKey::Generate(teepnet::crypto::KeyType::kX25519);
  if (!guest_key.ok()) {
    Say("guest key: %s", guest_key.error().ToString().c_str());
    PowerOff();
  }
  rt::GuestKey announce;
  announce.public_key = guest_key->public_key().RawPublic();
  std::vector<rt::LinkFrame> early;
  rt::EvidenceReply reply =
      RequestEvidence(link, decoder, rt::GuestReportData(announce.public_key), early);
  if (reply.ok) {
    announce.evidence = std::move(reply.evidence);
  } else {
    announce.reason = reply.reason;
    Say("no evidence for the guest key: %s", reply.reason.c_str());
  }
  // The announcement is the channel's first frame, ahead of anything the TA sends.
  const Bytes payload = rt::EncodeGuestKey(announce);
  Bytes frame{static_cast<uint8_t>(rt::FrameType::kGuestKey)};
  for (int shift = 24; shift >= 0; shift -= 8) {
    frame.push_back(static_cast<uint8_t>(payload.size() >> shift));
  }
  teepnet::Append(frame, payload);
  Bytes to_host;
  rt::AppendDataFrames(to_host, frame);

  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) Fail("socketpair");
  const pid_t ta = StartTa(sv[1], config);
  if (ta < 0) Fail("fork");
  ::close(sv[1]);
  HostToTa from_host(*guest_key);
  Relay(link, decoder, std::move(early), from_host, sv[0], ta, sigfd, std::move(to_host));
}
