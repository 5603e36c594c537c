// A TA for the runtime's integration tests: it reports, from inside the confidential
// instance, what it can see and do. Commands arrive as UA messages, answers go back to the
// UA; "pd" instead receives the PD and responds to the Agent. Built as a static binary so it
// needs nothing from the host in its root.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sched.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "teepnet/runtime/ta_api.h"

namespace {

using teepnet::AsBytes;
using teepnet::Bytes;

std::string Errno(int rc) {
  return rc >= 0 ? "ok" : "errno:" + std::to_string(errno);
}

std::string ReadText(const char* path) {
  std::ifstream in(path);
  if (!in) return "errno:" + std::to_string(errno);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Run(const std::string& cmd) {
  std::istringstream in(cmd);
  std::string verb, arg;
  in >> verb >> arg;
  if (verb == "pid") return std::to_string(::getpid());
  if (verb == "uid") return std::to_string(::getuid());
  if (verb == "open") return Errno(::open(arg.c_str(), O_RDONLY | O_CLOEXEC));
  if (verb == "write") {
    int fd = ::open(arg.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    return Errno(fd);
  }
  if (verb == "connect") {
    int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0) return Errno(s);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(std::atoi(arg.c_str())));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int rc = ::connect(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    std::string out = Errno(rc);
    ::close(s);
    return out;
  }
  if (verb == "netlink") return Errno(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, 0));
  if (verb == "netdev") return ReadText("/proc/net/dev");
  if (verb == "status") return ReadText("/proc/self/status");
  if (verb == "ptrace")
    return Errno(static_cast<int>(::ptrace(PTRACE_TRACEME, 0, nullptr, nullptr)));
  if (verb == "unshare") return Errno(::unshare(CLONE_NEWUSER));
  if (verb == "mount") return Errno(::mount("none", "/tmp", "tmpfs", 0, nullptr));
  if (verb == "hostname") {
    utsname u{};
    ::uname(&u);
    return u.nodename;
  }
  if (verb == "secret") {
    auto m = teepnet::runtime::SecretMemory::Allocate(32);
    if (!m.ok()) return "error";
    return m->is_secretmem() ? "secretmem" : "fallback:" + m->fallback_reason();
  }
  if (verb == "say") {
    std::printf("%s\n", arg.c_str());
    std::fflush(stdout);
    return "ok";
  }
  if (verb == "exit") ::_exit(std::atoi(arg.c_str()));
  if (verb == "pd") {
    auto pd = teepnet::ta::ReceivePd();
    if (!pd.ok()) return "pd-error";
    Bytes answer;
    if (pd->form == teepnet::runtime::PdForm::kPlaintext) {
      answer = teepnet::ToBytes(AsBytes("plain:"));
      teepnet::Append(answer, pd->plaintext.view());
    } else {
      answer = teepnet::ToBytes(AsBytes("sealed:"));
      teepnet::Append(answer, pd->hpke_private_key.view());
      answer.push_back('/');
      teepnet::Append(answer, pd->proof_private_key.view());
      answer.push_back('/');
      teepnet::Append(answer, AsBytes(pd->context.request_id));
      answer.push_back('/');
      teepnet::Append(answer, pd->sealed);
    }
    return teepnet::ta::Respond(answer).ok() ? "pd-ok" : "pd-error";
  }
  return "unknown";
}

}  // namespace

int main() {
  if (!teepnet::ta::Init().ok()) return 2;
  for (;;) {
    auto msg = teepnet::ta::ReceiveFromUa();
    if (!msg.ok()) return 0;  // the launcher closed the channel
    std::string answer = Run(std::string(teepnet::AsChars(*msg)));
    if (!teepnet::ta::SendToUa(AsBytes(answer)).ok()) return 3;
  }
}
