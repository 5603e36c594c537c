#include "teepnet/runtime/probe.h"

#include <gtest/gtest.h>

#include <cstdio>

namespace teepnet::runtime {
namespace {

TEST(Probe, GivesAReasonForEveryUnavailableItem) {
  ProbeReport r = Probe();
  std::printf("%s", r.ToString().c_str());  // the CI log shows what this machine allows
  const Capability* items[] = {
      &r.user_namespace, &r.pid_namespace, &r.mount_namespace,  &r.net_namespace,
      &r.ipc_namespace,  &r.uts_namespace, &r.cgroup_namespace, &r.id_range_map,
      &r.pidfd,          &r.no_new_privs,  &r.seccomp_filter,   &r.memfd_seal,
      &r.memfd_exec,     &r.memfd_secret,  &r.private_root,     &r.cgroup_v2_delegation};
  for (const Capability* c : items) {
    EXPECT_TRUE(c->available || !c->reason.empty());
  }
}

TEST(Probe, PrivateRootImpliesAMountNamespace) {
  ProbeReport r = Probe();
  EXPECT_TRUE(!r.private_root.available || r.mount_namespace.available);
  EXPECT_TRUE(r.user_namespace.available || !r.id_range_map.available);
}

}  // namespace
}  // namespace teepnet::runtime
