#include "teepnet/hpke/single_shot.h"

namespace teepnet::hpke {

Result<Sealed> Seal(const Suite& suite, const crypto::PublicKey& recipient,
                    const SenderParams& params, ByteView aad, ByteView plaintext, Random& random) {
  TEEPNET_ASSIGN_OR_RETURN(SenderSetup setup, SetupSender(suite, recipient, params, random));
  TEEPNET_ASSIGN_OR_RETURN(Bytes ciphertext, setup.context.Seal(aad, plaintext));
  return Sealed{std::move(setup.enc), std::move(ciphertext)};
}

Result<SecretBytes> Open(const Suite& suite, ByteView enc, const crypto::PrivateKey& recipient,
                         const RecipientParams& params, ByteView aad, ByteView ciphertext) {
  TEEPNET_ASSIGN_OR_RETURN(RecipientContext context, SetupRecipient(suite, enc, recipient, params));
  return context.Open(aad, ciphertext);
}

Result<SentExport> SendExport(const Suite& suite, const crypto::PublicKey& recipient,
                              const SenderParams& params, ByteView exporter_context, size_t length,
                              Random& random) {
  TEEPNET_ASSIGN_OR_RETURN(SenderSetup setup, SetupSender(suite, recipient, params, random));
  TEEPNET_ASSIGN_OR_RETURN(SecretBytes exported, setup.context.Export(exporter_context, length));
  return SentExport{std::move(setup.enc), std::move(exported)};
}

Result<SecretBytes> ReceiveExport(const Suite& suite, ByteView enc,
                                  const crypto::PrivateKey& recipient,
                                  const RecipientParams& params, ByteView exporter_context,
                                  size_t length) {
  TEEPNET_ASSIGN_OR_RETURN(RecipientContext context, SetupRecipient(suite, enc, recipient, params));
  return context.Export(exporter_context, length);
}

Result<Sealed> SealBase(const Suite& suite, const crypto::PublicKey& recipient, ByteView info,
                        ByteView aad, ByteView plaintext, Random& random) {
  SenderParams params;
  params.info = info;
  return Seal(suite, recipient, params, aad, plaintext, random);
}

Result<SecretBytes> OpenBase(const Suite& suite, ByteView enc, const crypto::PrivateKey& recipient,
                             ByteView info, ByteView aad, ByteView ciphertext) {
  RecipientParams params;
  params.info = info;
  return Open(suite, enc, recipient, params, aad, ciphertext);
}

}  // namespace teepnet::hpke
