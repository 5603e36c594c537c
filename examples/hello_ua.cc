// hello_ua: an Untrusted Application for hello_ta. The REE deployer starts it with a channel
// on descriptor 3 (runtime::kChannelFd) whose frames the device relays to and from the TA:
// the UA sends kFromUa frames and receives kToUa frames (types name the direction as seen
// from the UA). It asks the TA once per argument (default: one question) and prints the
// answers to stdout, which the device keeps in the UA's log.
#include <cstdio>
#include <string>

#include "teepnet/runtime/ta_wire.h"

namespace rt = teepnet::runtime;

int main(int argc, char** argv) {
  int asked = 0;
  for (int i = 1; i < argc || asked == 0; ++i) {
    const std::string question = i < argc ? argv[i] : "digest?";
    ++asked;
    if (!rt::WriteFrame(rt::kChannelFd, rt::FrameType::kFromUa, teepnet::AsBytes(question)).ok()) {
      std::fprintf(stderr, "hello_ua: cannot reach the TA\n");
      return 1;
    }
    auto answer = rt::ReadFrame(rt::kChannelFd);
    if (!answer.ok() || answer->type != rt::FrameType::kToUa) {
      std::fprintf(stderr, "hello_ua: no answer from the TA\n");
      return 1;
    }
    std::printf("hello_ua: asked \"%s\", TA says %s\n", question.c_str(),
                std::string(teepnet::AsChars(answer->payload)).c_str());
  }
  std::fflush(stdout);
  return 0;
}
