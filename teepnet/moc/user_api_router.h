// The user REST API (docs/api/openapi.yaml) as a function from a request to a response, without
// I/O: services/moc binds it to the HTTP server. Routes, all under /api/v1 and all needing
// `Authorization: Bearer <token>`:
//
//   POST /tenants                      admin   {"name"}                  -> 201 tenant + token
//   GET  /tenants                      admin                              -> 200 [tenant]
//   POST /packages?kind=ua|ta&name=N   tenant  body: SUIT envelope        -> 201 package
//   GET  /packages                     tenant                             -> 200 [package]
//   GET  /packages/{id}                tenant                             -> 200 package
//   POST /requests                     tenant  {"use_case","instance","hardware","packages"}
//                                      [Idempotency-Key: K]              -> 201 request
//                                      (200: the request an earlier POST with K and the same
//                                      body created; 409 idempotency_key_reused: another body)
//   GET  /requests                     tenant                             -> 200 [request]
//   GET  /requests/{id}                tenant                             -> 200 request + steps
//   GET  /requests/{id}/ear            tenant                             -> 200 the EAR
//   GET  /requests/{id}/failure        tenant                             -> 200 failure record
//   POST /requests/{id}/channel        tenant  body: sealed bytes (opaque) -> 202 request
//   GET  /devices                      any                                -> 200 [device]
//   GET  /verifier-key                 none                               -> 200 PEM
//
// /verifier-key is the public key the M/OC's Verifier signs EARs with, which users pin to
// verify EARs (channel/recipient.h) and failure records (failure_record.h); a public key
// needs no token.
//
// Errors are {"error":{"code","message"}} with the codes of api_errors.h. Bodies are bounded
// per route (limits.h) before anything reads them.
#ifndef TEEPNET_MOC_USER_API_ROUTER_H_
#define TEEPNET_MOC_USER_API_ROUTER_H_

#include <cstddef>
#include <string>
#include <utility>

#include "teepnet/base/bytes.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/moc/api_response.h"
#include "teepnet/moc/moc_service.h"

namespace teepnet::moc {

class UserApiRouter {
 public:
  explicit UserApiRouter(MocService& service) : service_(service) {}

  // The EAR-signing public key (PEM) GET /verifier-key serves; unset while the M/OC issues no
  // EARs (404 no_verifier_key).
  void SetVerifierKeyPem(std::string pem) { verifier_key_pem_ = std::move(pem); }
  // The key failure records are signed with: the EAR signer's (failure_record.h). Unset, GET
  // /requests/{id}/failure answers 404 no_verifier_key. The key must outlive the router.
  void SetRecordSigner(const crypto::PrivateKey* key) { record_signer_ = key; }

  ApiResponse Handle(const ApiRequest& request);

  // The largest body any route accepts; the HTTP layer must not read more.
  static size_t MaxBodyBytes();

 private:
  MocService& service_;
  std::string verifier_key_pem_;
  const crypto::PrivateKey* record_signer_ = nullptr;
};

// Percent-decodes a query component ("+" is a space). Fails on a truncated or non-hex escape.
Result<std::string> PercentDecode(std::string_view text);

}  // namespace teepnet::moc

#endif  // TEEPNET_MOC_USER_API_ROUTER_H_
