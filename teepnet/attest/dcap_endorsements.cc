#include "teepnet/attest/dcap_endorsements.h"

#include <nlohmann/json.hpp>

#include "teepnet/attest/dcap_json_span.h"
#include "teepnet/attest/errc.h"
#include "teepnet/base/byte_writer.h"
#include "teepnet/base/hex.h"
#include "teepnet/crypto/hash.h"

namespace teepnet::attest {

namespace {

using nlohmann::json;

Error Bad(std::string what) {
  return Error(Errc::kBadEndorsement, "DCAP endorsements: " + std::move(what));
}

Result<Bytes> HexSignature(std::string_view hex) {
  auto sig = FromHex(hex);
  if (!sig.ok() || sig->size() != 64) return Bad("signature is not 64 hex bytes (r||s)");
  return *sig;
}

Result<crypto::Crl> CrlFromText(std::string_view text) {
  if (text.find("-----BEGIN") != std::string_view::npos) {
    auto crl = crypto::Crl::FromPem(text);
    if (!crl.ok()) return Bad("CRL PEM does not parse");
    return *crl;
  }
  auto der = FromHex(text);
  if (!der.ok()) return Bad("CRL is neither PEM nor hex DER");
  auto crl = crypto::Crl::FromDer(*der);
  if (!crl.ok()) return Bad("CRL DER does not parse");
  return *crl;
}

// The "signature" member of a PCS response body.
Result<Bytes> ResponseSignature(ByteView response) {
  TEEPNET_ASSIGN_OR_RETURN(ByteView sig_value, FindJsonMember(response, "signature"));
  json sig = json::parse(sig_value.begin(), sig_value.end(), nullptr, false);
  if (sig.is_discarded() || !sig.is_string()) return Bad("\"signature\" is not a string");
  return HexSignature(sig.get<std::string>());
}

}  // namespace

DcapEndorsements::DcapEndorsements(Parts parts) : parts_(std::move(parts)) {
  crypto::Hasher h(crypto::HashAlgorithm::kSha256);
  auto add = [&](ByteView b) {
    ByteWriter len;
    len.WriteBeU64(b.size());
    h.Update(len.bytes());
    h.Update(b);
  };
  add(parts_.tcb_info);
  add(parts_.tcb_info_signature);
  add(parts_.qe_identity);
  add(parts_.qe_identity_signature);
  for (const auto& c : parts_.tcb_signing_chain) add(c.der());
  for (const auto& c : parts_.extra_roots) add(c.der());
  for (const auto& crl : parts_.crls) {
    ByteWriter times;
    times.WriteBeU64(static_cast<uint64_t>(crl.this_update()));
    times.WriteBeU64(static_cast<uint64_t>(crl.next_update()));
    add(times.bytes());
    add(AsBytes(crl.issuer()));
  }
  add(parts_.root_sha256);
  digest_ = h.Finish();
}

DcapEndorsements DcapEndorsements::FromParts(Parts parts) {
  return DcapEndorsements(std::move(parts));
}

DcapEndorsements DcapEndorsements::WithRootPin(const std::array<uint8_t, 32>& root_sha256) const {
  Parts p = parts_;
  p.root_sha256 = root_sha256;
  return DcapEndorsements(std::move(p));
}

Result<DcapEndorsements> DcapEndorsements::FromPcsResponses(ByteView tcb_info_response,
                                                            ByteView qe_identity_response,
                                                            std::string_view issuer_chain_pem,
                                                            const std::vector<Bytes>& crls_der) {
  Parts p;
  TEEPNET_ASSIGN_OR_RETURN(ByteView tcb, FindJsonMember(tcb_info_response, "tcbInfo"));
  TEEPNET_ASSIGN_OR_RETURN(ByteView qe, FindJsonMember(qe_identity_response, "enclaveIdentity"));
  p.tcb_info = ToBytes(tcb);
  p.qe_identity = ToBytes(qe);
  TEEPNET_ASSIGN_OR_RETURN(p.tcb_info_signature, ResponseSignature(tcb_info_response));
  TEEPNET_ASSIGN_OR_RETURN(p.qe_identity_signature, ResponseSignature(qe_identity_response));
  auto chain = crypto::Certificate::ParsePemBundle(issuer_chain_pem);
  if (!chain.ok() || chain->empty()) return Bad("issuer chain PEM does not parse");
  p.tcb_signing_chain = std::move(*chain);
  for (const Bytes& der : crls_der) {
    auto crl = crypto::Crl::FromDer(der);
    if (!crl.ok()) return Bad("CRL DER does not parse");
    p.crls.push_back(std::move(*crl));
  }
  return DcapEndorsements(std::move(p));
}

Result<DcapEndorsements> DcapEndorsements::FromCollateralJson(ByteView text) {
  json doc = json::parse(text.begin(), text.end(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return Bad("collateral is not a JSON object");
  auto str = [&](const char* name) -> Result<std::string> {
    auto it = doc.find(name);
    if (it == doc.end() || !it->is_string()) return Bad(std::string("no string \"") + name + "\"");
    return it->get<std::string>();
  };
  Parts p;
  TEEPNET_ASSIGN_OR_RETURN(std::string tcb, str("tcb_info"));
  TEEPNET_ASSIGN_OR_RETURN(std::string qe, str("qe_identity"));
  p.tcb_info = ToBytes(tcb);
  p.qe_identity = ToBytes(qe);
  TEEPNET_ASSIGN_OR_RETURN(std::string tcb_sig, str("tcb_info_signature"));
  TEEPNET_ASSIGN_OR_RETURN(std::string qe_sig, str("qe_identity_signature"));
  TEEPNET_ASSIGN_OR_RETURN(p.tcb_info_signature, HexSignature(tcb_sig));
  TEEPNET_ASSIGN_OR_RETURN(p.qe_identity_signature, HexSignature(qe_sig));
  TEEPNET_ASSIGN_OR_RETURN(std::string chain_pem, str("tcb_info_issuer_chain"));
  auto chain = crypto::Certificate::ParsePemBundle(chain_pem);
  if (!chain.ok() || chain->empty()) return Bad("tcb_info_issuer_chain does not parse");
  p.tcb_signing_chain = std::move(*chain);
  for (const char* name : {"root_ca_crl", "pck_crl"}) {
    if (!doc.contains(name)) continue;
    TEEPNET_ASSIGN_OR_RETURN(std::string crl_text, str(name));
    TEEPNET_ASSIGN_OR_RETURN(crypto::Crl crl, CrlFromText(crl_text));
    p.crls.push_back(std::move(crl));
  }
  return DcapEndorsements(std::move(p));
}

}  // namespace teepnet::attest
