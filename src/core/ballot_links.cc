#include "core/ballot_links.h"

#include <sodium.h>

namespace caucus::core {

std::string VoterTag(const std::string& key, AccountId voter) {
  unsigned char out[32];
  const std::string message = "voter:" + std::to_string(voter);
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(message.data()),
                     message.size(), reinterpret_cast<const unsigned char*>(key.data()),
                     key.size());
  return std::string(reinterpret_cast<char*>(out), sizeof out);
}

std::string SealReceipt(const std::string& key, const std::string& receipt) {
  std::string out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + receipt.size(), '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(out.data());
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(receipt.data()), receipt.size(),
                        nonce, reinterpret_cast<const unsigned char*>(key.data()));
  return out;
}

std::optional<std::string> OpenReceipt(const std::string& key, const std::string& sealed) {
  if (sealed.size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) return std::nullopt;
  const auto* nonce = reinterpret_cast<const unsigned char*>(sealed.data());
  const size_t box = sealed.size() - crypto_secretbox_NONCEBYTES;
  std::string receipt(box - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(receipt.data()),
                                 nonce + crypto_secretbox_NONCEBYTES, box, nonce,
                                 reinterpret_cast<const unsigned char*>(key.data())) != 0) {
    return std::nullopt;
  }
  return receipt;
}

}  // namespace caucus::core
