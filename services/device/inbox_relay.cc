#include "services/device/inbox_relay.h"

#include <vector>

#include "services/common/errc.h"
#include "teepnet/base/hex.h"
#include "teepnet/crypto/hash.h"

namespace teepnet::device {

RelayRoundStats InboxRelay::RunOnce() {
  RelayRoundStats stats;
  Result<std::vector<InboxEntry>> inbox = endpoint_.FetchInbox();
  if (!inbox.ok()) {
    log_.Warn("inbox-failed", {{"error", inbox.error().ToString()}});
    return stats;
  }
  stats.inbox_read = true;
  std::set<std::string> listed;
  for (const InboxEntry& entry : *inbox) {
    listed.insert(ToHex(entry.digest));
    Handle(entry, stats);
  }
  // An item leaves the inbox once its receipt commits (or its request ends): forget it.
  std::erase_if(handled_, [&](const std::string& key) { return !listed.contains(key); });
  std::erase_if(unposted_, [&](const auto& kv) { return !listed.contains(kv.first); });
  if (stats.delivered + stats.refused + stats.retry_later > 0) {
    log_.Info("relay-round", {{"items", inbox->size()},
                              {"delivered", stats.delivered},
                              {"receipts_posted", stats.receipts_posted},
                              {"refused", stats.refused},
                              {"retry_later", stats.retry_later},
                              {"uas_started", stats.uas_started}});
  }
  return stats;
}

void InboxRelay::Handle(const InboxEntry& entry, RelayRoundStats& stats) {
  const std::string key = ToHex(entry.digest);
  if (handled_.contains(key)) return;
  if (auto kept = unposted_.find(key); kept != unposted_.end()) {
    Post(key, kept->second, stats);
    return;
  }
  // The digest names the item; bytes that do not match it are not what the user posted.
  if (!Equal(crypto::Sha256(entry.sealed), entry.digest)) {
    log_.Warn("inbox-item-corrupt", {{"request_id", entry.request_id}, {"digest", key}});
    handled_.insert(key);
    ++stats.refused;
    return;
  }
  agentd::DeliverSealed request;
  request.request_id = entry.request_id;
  // RelayClient admits "process", "container" and "vm" only (relay_client.cc).
  request.instance_type = entry.instance_type == "container" ? agentd::InstanceType::kContainer
                          : entry.instance_type == "vm"      ? agentd::InstanceType::kVm
                                                             : agentd::InstanceType::kProcess;
  request.to_ta = entry.to_ta;
  request.instance = entry.instance;
  request.purpose = entry.purpose;
  request.sealed = entry.sealed;
  Result<agentd::Delivered> delivered = agent_.Deliver(request);
  if (!delivered.ok()) {
    const bool refused = delivered.error().Is(common::Errc::kRemoteRefused);
    log_.Warn(refused ? "delivery-refused" : "delivery-failed",
              {{"request_id", entry.request_id},
               {"digest", key},
               {"error", delivered.error().ToString()},
               {"retry", !refused}});
    if (refused) {
      handled_.insert(key);
      ++stats.refused;
    } else {
      ++stats.retry_later;
    }
    return;
  }
  ++stats.delivered;
  log_.Info("delivered", {{"request_id", entry.request_id},
                          {"target", entry.to_ta ? "ta" : "agent"},
                          {"instance", entry.instance},
                          {"instance_type", entry.instance_type},
                          {"ua", delivered->ua.has_value() || !entry.ua_component.empty()}});
  std::optional<Bytes> ua = std::move(delivered->ua);
  if (!ua && entry.to_ta && !entry.ua_component.empty()) {
    // Seed §5.2 item 3: "TAM then deploys these two applications in REE and TEE respectively";
    // §5.3: the UA to the REE. The UA came through TEEP like the TA, so the Agent verified its
    // envelope; the Broker runs exactly the bytes the Agent installed, now that its TA has the
    // PD and can answer it.
    Result<Bytes> fetched = agent_.FetchUa({entry.request_id, entry.ua_component});
    if (fetched.ok()) {
      ua = std::move(fetched).value();
    } else {
      log_.Error("ua-fetch-failed", {{"request_id", entry.request_id},
                                     {"component", entry.ua_component},
                                     {"error", fetched.error().ToString()}});
    }
  }
  if (ua) {
    // Seed §5.1 item 5: "... then deploy UA in REE."
    Status started = ua_ == nullptr ? Status(Error(common::Errc::kBadConfig, "no REE deployer"))
                                    : ua_->Start(entry.request_id, *ua);
    if (started.ok()) {
      ++stats.uas_started;
    } else {
      log_.Error("ua-start-failed",
                 {{"request_id", entry.request_id}, {"error", started.error().ToString()}});
    }
  }
  Unposted receipt{entry.request_id, std::move(delivered->receipt)};
  Post(key, std::move(receipt), stats);
}

void InboxRelay::Post(const std::string& key, Unposted receipt, RelayRoundStats& stats) {
  Status posted = endpoint_.PostReceipt(receipt.request_id, receipt.receipt);
  if (posted.ok()) {
    ++stats.receipts_posted;
    handled_.insert(key);
    unposted_.erase(key);
    log_.Info("receipt-posted", {{"request_id", receipt.request_id}});
    return;
  }
  const bool refused = posted.error().Is(common::Errc::kRemoteRefused);
  log_.Warn(refused ? "receipt-refused" : "receipt-post-failed",
            {{"request_id", receipt.request_id},
             {"error", posted.error().ToString()},
             {"retry", !refused}});
  if (refused) {
    ++stats.refused;
    handled_.insert(key);
    unposted_.erase(key);
  } else {
    ++stats.retry_later;
    unposted_.insert_or_assign(key, std::move(receipt));
  }
}

}  // namespace teepnet::device
