#include "client/account/registration.h"

#include "client/account/rules.h"
#include "protocol/names.h"

namespace caucus::client {
namespace {

// Asks for a new password twice until both agree; false if the user gave up.
bool ChoosePassword(Context& ctx, const std::string& name, std::string* password) {
  while (true) {
    auto first = ctx.prompter.AskSecret("New password for " + name + ": ");
    if (!first) return false;
    auto again = ctx.prompter.AskSecret("The same password again: ");
    if (!again) {
      Wipe(*first);
      return false;
    }
    const bool same = *first == *again;
    Wipe(*again);
    if (same) {
      *password = std::move(*first);
      return true;
    }
    Wipe(*first);
    ctx.out.Error("the two passwords differ; again, please");
  }
}

// Asks for an e-mail address until one looks right (and, when the server
// said which domains it takes, is in one); false if the user gave up.
bool AskEmail(Context& ctx, std::string* name) {
  const ServerRules* rules = ctx.rules;
  const bool domains_known = rules && !rules->email_domain.empty();
  ctx.out.Info(domains_known
                   ? "this server takes as names only e-mail addresses at " + rules->Domains()
                   : "this server takes e-mail addresses in the domains it allows as names");
  while (true) {
    auto address = ctx.prompter.Ask("Your e-mail address: ");
    if (!address) return false;
    if (!LooksLikeEmail(*address)) {
      ctx.out.Error("'" + *address + "' does not look like an e-mail address (name@example.org)");
    } else if (domains_known && !rules->AllowsDomainOf(*address)) {
      ctx.out.Error("'" + *address + "' is not at " + rules->Domains());
    } else {
      *name = std::move(*address);
      return true;
    }
  }
}

void ShowGenerated(Context& ctx, const std::string& name, const std::string& password) {
  ctx.out.Text("Account " + name + " created. The server made this password for it:\n\n    " +
               password +
               "\n\nIt is shown only this once: write it down, or put it in a password manager, "
               "now.");
}

Registration FromUnanswered(Context& ctx, const CallResult& result) {
  return Unanswered(ctx, result) == Outcome::kInterrupted ? Registration::kInterrupted
                                                          : Registration::kLost;
}

}  // namespace

bool LooksLikeEmail(std::string_view address) {
  const size_t at = address.find('@');
  if (at == std::string_view::npos || at == 0 || address.find('@', at + 1) != address.npos) {
    return false;
  }
  const std::string_view domain = address.substr(at + 1);
  const size_t dot = domain.find('.');
  return protocol::IsValidName(address) && dot != domain.npos && dot > 0 && domain.front() != '.' &&
         domain.back() != '.' && domain.find("..") == domain.npos;
}

Registration OfferRegistration(Context& ctx, std::string* name, std::string* password) {
  const auto yes = Confirm(ctx.prompter, "There is no account " + *name + ". Create it?");
  if (!yes) return Registration::kGaveUp;
  if (!*yes) return Registration::kDeclined;
  // A server that said it takes only e-mail names gets one before anything
  // else is asked.
  if (ctx.rules && ctx.rules->registration == "email" &&
      (!LooksLikeEmail(*name) || !ctx.rules->AllowsDomainOf(*name)) && !AskEmail(ctx, name)) {
    return Registration::kGaveUp;
  }
  // First the one-word form, unless the server said how it does passwords:
  // a server that makes them takes only that one, and any other answers it
  // with BAD_ARGUMENTS.
  bool server_makes_password = !ctx.rules || !ctx.rules->known || ctx.rules->generated_passwords;
  std::string chosen;
  while (true) {
    Request request{"REGISTER", {*name}, std::nullopt};
    if (!server_makes_password) {
      if (chosen.empty() && !ChoosePassword(ctx, *name, &chosen)) return Registration::kGaveUp;
      request.text = chosen;
    }
    const CallResult r = ctx.server.Call(request);
    if (request.text) Wipe(*request.text);
    if (!r.answered()) {
      Wipe(chosen);
      return FromUnanswered(ctx, r);
    }
    const Reply& reply = r.reply;
    if (reply.ok) {
      *name = reply.Param(0);
      if (server_makes_password) {
        *password = reply.Param(1);
        ShowGenerated(ctx, *name, *password);
      } else {
        *password = std::move(chosen);
        ctx.out.Info("account " + *name + " created");
      }
      return Registration::kCreated;
    }
    if (reply.code == "BAD_ARGUMENTS" && server_makes_password) {
      server_makes_password = false;
      continue;
    }
    if (reply.code == "DOMAIN_NOT_ALLOWED") {
      if (!AskEmail(ctx, name)) {
        Wipe(chosen);
        return Registration::kGaveUp;
      }
      continue;
    }
    ctx.out.ShowReply(request, reply);
    Wipe(chosen);
    if (reply.code != "WEAK_PASSWORD") return Registration::kDeclined;
  }
}

}  // namespace caucus::client
