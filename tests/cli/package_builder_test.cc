// `teepnet package` envelopes (services/cli/package_builder.h) as a TEEP Agent sees them: the
// SUIT processor installs the integrated payload as the component, refuses them from an
// untrusted signer, and the instance name the CLI computes is the Agent's.
#include "services/cli/package_builder.h"

#include <gtest/gtest.h>

#include "teepnet/evidence/instance_keyring.h"
#include "teepnet/suit/processor.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::cli {
namespace {

struct Installed {
  suit::Report report;
  std::optional<Bytes> component;
};

Installed Install(ByteView envelope, const crypto::PublicKey& trusted,
                  const suit::ComponentId& id) {
  suit::TrustAnchors anchors;
  anchors.signing_keys.push_back(trusted);
  suit::PayloadKeys keys;
  suit::DeviceIdentity device;
  suit::InMemoryComponentStore store;
  suit::Processor processor({&anchors, &keys, &device, &store, nullptr, nullptr});
  Installed out;
  out.report = processor.Install(envelope);
  out.component = store.ReadComponent(id);
  return out;
}

const Bytes kExecutable =
    ToBytes(std::string_view("\x7f"
                             "ELF pretend executable bytes"));

TEST(PackageBuilder, InstallsTheIntegratedPayloadAsTheComponent) {
  auto key = crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  TEEPNET_ASSERT_OK(key);
  PackageSpec spec{PackageComponent("hello.ta"), 3, kExecutable};
  auto envelope = BuildPackage(spec, *key);
  TEEPNET_ASSERT_OK(envelope);
  Installed installed = Install(*envelope, key->public_key(), spec.component);
  TEEPNET_EXPECT_OK(suit::ReportStatus(installed.report));
  ASSERT_TRUE(installed.component.has_value());
  EXPECT_EQ(*installed.component, kExecutable);
}

TEST(PackageBuilder, SignsWithEd25519Too) {
  auto key = crypto::PrivateKey::Generate(crypto::KeyType::kEd25519);
  TEEPNET_ASSERT_OK(key);
  PackageSpec spec{PackageComponent("hello.ta"), 1, kExecutable};
  auto envelope = BuildPackage(spec, *key);
  TEEPNET_ASSERT_OK(envelope);
  TEEPNET_EXPECT_OK(
      suit::ReportStatus(Install(*envelope, key->public_key(), spec.component).report));
}

TEST(PackageBuilder, IsRefusedByAnAgentThatTrustsAnotherSigner) {
  auto key = crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  auto other = crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  TEEPNET_ASSERT_OK(key);
  TEEPNET_ASSERT_OK(other);
  PackageSpec spec{PackageComponent("hello.ta"), 1, kExecutable};
  auto envelope = BuildPackage(spec, *key);
  TEEPNET_ASSERT_OK(envelope);
  Installed installed = Install(*envelope, other->public_key(), spec.component);
  EXPECT_FALSE(installed.report.success);
  EXPECT_FALSE(installed.component.has_value());
}

TEST(PackageBuilder, IsRefusedWhenThePayloadWasSwapped) {
  auto key = crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  TEEPNET_ASSERT_OK(key);
  PackageSpec spec{PackageComponent("hello.ta"), 1, kExecutable};
  auto envelope = BuildPackage(spec, *key);
  TEEPNET_ASSERT_OK(envelope);
  // The payload is the envelope's last member; its bytes are not covered by the signature,
  // only by the digest the signed manifest checks (condition-image-match).
  Bytes swapped = *envelope;
  swapped.back() ^= 0x01;
  Installed installed = Install(swapped, key->public_key(), spec.component);
  EXPECT_FALSE(installed.report.success);
  EXPECT_FALSE(installed.component.has_value());
}

TEST(PackageBuilder, NamesTheInstanceTheAgentWillCreate) {
  auto key = crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  TEEPNET_ASSERT_OK(key);
  PackageSpec spec{PackageComponent("hello.ta"), 1, kExecutable};
  auto envelope = BuildPackage(spec, *key);
  TEEPNET_ASSERT_OK(envelope);
  auto name = evidence::InstanceNameOfEnvelope(*envelope);
  TEEPNET_ASSERT_OK(name);
  EXPECT_EQ(*name, evidence::InstanceNameOf(spec.component));
}

TEST(PackageBuilder, RefusesAnEmptyPayloadAndAnUnsuitableKey) {
  auto key = crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  auto x25519 = crypto::PrivateKey::Generate(crypto::KeyType::kX25519);
  TEEPNET_ASSERT_OK(key);
  TEEPNET_ASSERT_OK(x25519);
  EXPECT_FALSE(BuildPackage(PackageSpec{PackageComponent("a"), 1, {}}, *key).ok());
  EXPECT_FALSE(BuildPackage(PackageSpec{PackageComponent("a"), 1, kExecutable}, *x25519).ok());
}

}  // namespace
}  // namespace teepnet::cli
