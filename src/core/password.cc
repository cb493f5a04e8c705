#include "core/password.h"

#include <sodium.h>

namespace caucus::core {
namespace {

void Limits(HashCost cost, unsigned long long* ops, size_t* mem) {
  switch (cost) {
    case HashCost::kInteractive:
      *ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
      *mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
      return;
    case HashCost::kModerate:
      *ops = crypto_pwhash_OPSLIMIT_MODERATE;
      *mem = crypto_pwhash_MEMLIMIT_MODERATE;
      return;
    case HashCost::kSensitive:
      *ops = crypto_pwhash_OPSLIMIT_SENSITIVE;
      *mem = crypto_pwhash_MEMLIMIT_SENSITIVE;
      return;
  }
}

}  // namespace

std::optional<std::string> HashPassword(const std::string& password, HashCost cost) {
  unsigned long long ops = 0;
  size_t mem = 0;
  Limits(cost, &ops, &mem);
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), ops, mem,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return std::nullopt;
  }
  return std::string(out);
}

Verification VerifyPassword(const std::string& hash, const std::string& password, HashCost cost) {
  Verification v;
  v.match = crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
  if (v.match) {
    unsigned long long ops = 0;
    size_t mem = 0;
    Limits(cost, &ops, &mem);
    v.needs_rehash = crypto_pwhash_str_needs_rehash(hash.c_str(), ops, mem) != 0;
  }
  return v;
}

}  // namespace caucus::core
