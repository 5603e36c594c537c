#include "teepnet/runtime/ta_api.h"

#include <deque>
#include <string>

#include <fcntl.h>
#include <sys/prctl.h>

#include "teepnet/base/secret_bytes.h"
#include "teepnet/runtime/errc.h"

namespace teepnet::ta {
namespace {

using runtime::Errc;
using runtime::Frame;
using runtime::FrameType;

int g_fd = runtime::kChannelFd;
std::deque<Frame>& Pending() {
  static std::deque<Frame> pending;
  return pending;
}

// Next frame of `want`, queueing others (bounded).
Result<Frame> Next(FrameType want) {
  auto& pending = Pending();
  for (auto it = pending.begin(); it != pending.end(); ++it) {
    if (it->type == want) {
      Frame f = std::move(*it);
      pending.erase(it);
      return f;
    }
  }
  for (;;) {
    TEEPNET_ASSIGN_OR_RETURN(Frame f, runtime::ReadFrame(g_fd));
    if (f.type == want) return f;
    if (f.type != FrameType::kPd && f.type != FrameType::kFromUa) {
      return Error(Errc::kBadFrame, "ta: the launcher sent a TA-to-launcher frame type");
    }
    if (pending.size() >= kMaxPendingFrames) {
      return Error(Errc::kTooManyPending, "ta: too many frames queued");
    }
    pending.push_back(std::move(f));
  }
}

}  // namespace

Status Init() {
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  if (::fcntl(g_fd, F_GETFD) < 0) {
    return Error(Errc::kBadSpec, "ta: channel descriptor " + std::to_string(g_fd) + " is not open");
  }
  return OkStatus();
}

void UseChannelFd(int fd) {
  g_fd = fd;
}

Result<Pd> ReceivePd() {
  TEEPNET_ASSIGN_OR_RETURN(Frame f, Next(FrameType::kPd));
  auto decoded = runtime::DecodePd(f.payload);
  SecureWipe(f.payload.data(), f.payload.size());
  if (!decoded.ok()) return std::move(decoded).TakeError();
  Pd pd;
  pd.form = decoded->form;
  if (pd.form == runtime::PdForm::kPlaintext) {
    TEEPNET_ASSIGN_OR_RETURN(pd.plaintext,
                             runtime::SecretMemory::CopyOf(decoded->plaintext.view()));
  } else {
    TEEPNET_ASSIGN_OR_RETURN(pd.hpke_private_key,
                             runtime::SecretMemory::CopyOf(decoded->hpke_private_key.view()));
    TEEPNET_ASSIGN_OR_RETURN(pd.proof_private_key,
                             runtime::SecretMemory::CopyOf(decoded->proof_private_key.view()));
    pd.sealed = std::move(decoded->sealed);
    pd.context = std::move(decoded->context);
  }
  return pd;
}

Status Respond(ByteView bytes) {
  return runtime::WriteFrame(g_fd, FrameType::kResponse, bytes);
}

Status SendToUa(ByteView bytes) {
  return runtime::WriteFrame(g_fd, FrameType::kToUa, bytes);
}

Result<Bytes> ReceiveFromUa() {
  TEEPNET_ASSIGN_OR_RETURN(Frame f, Next(FrameType::kFromUa));
  return std::move(f.payload);
}

}  // namespace teepnet::ta
