#include "client/context.h"

#include <sodium.h>

namespace caucus::client {

Outcome Unanswered(Context& ctx, const CallResult& result) {
  switch (result.status) {
    case CallResult::Status::kInterrupted:
      return Outcome::kInterrupted;
    case CallResult::Status::kUnsendable:
      ctx.out.Error("that cannot be sent: a name, number or password holds a space or a ':'");
      return Outcome::kFailed;
    case CallResult::Status::kLost:
    case CallResult::Status::kOk:
      break;
  }
  ctx.out.Error("the connection ended before the answer; the command may or may not have run");
  return Outcome::kLost;
}

Outcome Failed(const Reply& reply) {
  return reply.code == "LOCKED" ? Outcome::kLocked : Outcome::kFailed;
}

void SaveSession(Context& ctx) {
  if (!ctx.tokens || (!ctx.account.token.empty() && !ctx.stay_signed_in)) return;
  std::string error;
  const bool saved =
      ctx.account.token.empty()
          ? ctx.tokens->Forget(ctx.endpoint.Key(), &error)
          : ctx.tokens->Save(ctx.endpoint.Key(), {ctx.account.name, ctx.account.token}, &error);
  if (!saved) ctx.out.Error("the session could not be saved: " + error);
}

void Wipe(std::string& secret) {
  sodium_memzero(secret.data(), secret.size());
  secret.clear();
}

}  // namespace caucus::client
