#include "client/account/reconnect.h"

#include <poll.h>

#include <algorithm>

#include "client/account/rules.h"
#include "client/input/signals.h"
#include "client/present/error_text.h"

namespace caucus::client {
namespace {

using Clock = std::chrono::steady_clock;

// Sleeps for `pause`, or less when a signal asks the client to leave.
void Pause(std::chrono::milliseconds pause) {
  const auto until = Clock::now() + pause;
  while (!signals::QuitRequested()) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
    if (left.count() <= 0) return;
    pollfd p{signals::WakeFd(), POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) > 0) signals::Drain();
  }
}

}  // namespace

bool ConnectOnce(Context& ctx, Link& link) {
  Line hello;
  std::string error;
  if (!link.Connect(ctx.endpoint, &hello, &error)) {
    ctx.out.Error(error);
    return false;
  }
  ctx.out.ShowEvent(hello);
  // What the server allows, said up front to a person (and named later in
  // refusals); a server without RULES gets its own banner shown instead.
  const CallResult r = ctx.server.Call({"RULES", {}, std::nullopt});
  if (r.answered() && ctx.rules) *ctx.rules = ServerRules::From(r.reply);
  if (ctx.interactive) {
    const std::string greeting = ctx.rules ? ctx.rules->Greeting() : std::string();
    if (!greeting.empty()) {
      ctx.out.Text(greeting);
    } else if (hello.params.size() > 2) {
      ctx.out.Text(hello.Param(2));
    }
  }
  return true;
}

bool ShouldReconnect(std::string_view reason) {
  return reason != "LOGOUT" && reason != "LOCKED" && reason != "REPLACED" &&
         reason != "TOO_MANY_CONNECTIONS";
}

LoginResult Reconnect(Context& ctx, Link& link, std::chrono::seconds patience) {
  const std::string why =
      link.bye().empty() ? "the connection dropped" : ByeMessage(link.bye(), {});
  ctx.out.Info(why + "; connecting again to " + ctx.endpoint.Key());
  const auto deadline = Clock::now() + patience;
  std::chrono::milliseconds pause(100);
  std::string last_error;
  while (true) {
    if (signals::QuitRequested()) return LoginResult::kInterrupted;
    Line hello;
    LoginResult result = LoginResult::kLost;
    if (link.Connect(ctx.endpoint, &hello, &last_error)) {
      result = LogIn(ctx, /*again=*/true);
    } else if (link.certificate_refused()) {
      // Waiting will not make a certificate valid: stop here.
      ctx.out.Error(last_error);
      return LoginResult::kFailed;
    }
    if (result != LoginResult::kLost && result != LoginResult::kBusy) return result;
    if (Clock::now() + pause > deadline) {
      ctx.out.Error("gave up connecting again: " +
                    (last_error.empty() ? std::string("the server does not answer") : last_error));
      link.Close();
      return LoginResult::kLost;
    }
    Pause(pause);
    pause = std::min<std::chrono::milliseconds>(pause * 2, std::chrono::seconds(5));
  }
}

}  // namespace caucus::client
