// A TA that answers its PD with bytes that are not a receipt (agent_delivery_test): the Agent
// must treat the delivery as failed. Stays alive until the Agent closes the channel.
#include "teepnet/runtime/ta_api.h"

int main() {
  namespace ta = teepnet::ta;
  if (!ta::Init().ok()) return 2;
  if (!ta::ReceivePd().ok()) return 3;
  if (!ta::Respond(teepnet::AsBytes("trust me, it arrived")).ok()) return 4;
  while (ta::ReceiveFromUa().ok()) {
  }
  return 0;
}
