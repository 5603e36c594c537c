#include "services/moc/tam_endpoint.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "teepnet/base/hex.h"
#include "teepnet/broker/broker_session.h"

namespace teepnet::moc {

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// "type/subtype; a=b" -> "type/subtype", lower-cased.
std::string MediaType(std::string_view value) {
  return Lower(Trim(value.substr(0, value.find(';'))));
}

// otrp-over-http §"TEEP/HTTP Server Behavior": every response with a body carries these.
net::HttpResponse TeepResponse(Bytes body) {
  net::HttpResponse r =
      net::HttpResponse::WithBody(200, std::string(broker::kTeepMediaType), std::move(body));
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Content-Security-Policy", "default-src 'none'");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  return r;
}

}  // namespace

bool IsTeepContentType(std::string_view content_type) {
  return MediaType(content_type) == broker::kTeepMediaType;
}

bool AcceptsTeep(std::string_view accept) {
  while (!accept.empty()) {
    size_t comma = accept.find(',');
    std::string_view range = accept.substr(0, comma);
    accept = comma == std::string_view::npos ? std::string_view() : accept.substr(comma + 1);
    std::string type = MediaType(range);
    if (type != broker::kTeepMediaType && type != "application/*" && type != "*/*") continue;
    // RFC 9110 §12.4.2: q=0 means "not acceptable".
    bool refused = false;
    for (size_t semi = range.find(';'); semi != std::string_view::npos;
         semi = range.find(';', semi + 1)) {
      std::string param = Lower(Trim(range.substr(semi + 1, range.find(';', semi + 1) - semi - 1)));
      if (param.rfind("q=", 0) == 0) {
        std::string q = param.substr(2);
        refused = !q.empty() && q.find_first_not_of("0.") == std::string::npos;
      }
    }
    if (!refused) return true;
  }
  return false;
}

net::HttpResponse TamEndpoint::Handle(const net::HttpRequest& request) {
  ++counters_.requests;
  if (request.method != "POST") {
    net::HttpResponse r = net::HttpResponse::Status(405);
    r.headers.emplace_back("Allow", "POST");
    return r;
  }
  // otrp-over-http: the Content-Type check applies only to a non-empty body; the opening
  // POST has none (digest §8 pitfall 13).
  if (!request.body.empty() && !IsTeepContentType(request.Header("content-type"))) {
    return net::HttpResponse::Status(415);
  }
  if (!request.HasHeader("accept") || !AcceptsTeep(request.Header("accept"))) {
    return net::HttpResponse::Status(406);
  }
  tam::TamResult result =
      request.body.empty() ? tam_.ProcessConnect() : tam_.ProcessMessage(request.body);
  // One line per request: rendered without a nlohmann::json tree (the same bytes).
  common::LogFields fields;
  fields.Add("peer", request.peer)
      .Add("outcome", tam::OutcomeName(result.outcome))
      .Add("bytes_in", static_cast<uint64_t>(request.body.size()));
  if (result.device_id) fields.Add("device_id", ToHex(*result.device_id));
  if (result.drop_reason) fields.Add("reason", result.drop_reason->ToString());
  if (result.outcome == tam::Outcome::kFailed) {
    ++counters_.failed;
    log_.Error("tam", fields);
    // "If the TAM cannot produce any result ... a 5xx" (the state was not committed).
    return net::HttpResponse::Status(500);
  }
  const tam::Outcome o = result.outcome;
  const bool committed = o == tam::Outcome::kUpdateSent || o == tam::Outcome::kUpToDate ||
                         o == tam::Outcome::kSuccessRecorded || o == tam::Outcome::kErrorRecorded;
  // Only a QueryResponse (answered by an Update or nothing) carries evidence to appraise.
  const bool answered_query = o == tam::Outcome::kUpdateSent || o == tam::Outcome::kUpToDate;
  if (answered_query && device_committed_ && result.device_id) {
    device_committed_(*result.device_id);
  }
  if (committed && committed_) committed_();
  if (result.outcome == tam::Outcome::kDropped) {
    ++counters_.dropped;
    log_.Warn("tam", fields);
  } else {
    log_.Info("tam", fields);
  }
  if (!result.response) return net::HttpResponse::Status(204);
  return TeepResponse(std::move(*result.response));
}

}  // namespace teepnet::moc
