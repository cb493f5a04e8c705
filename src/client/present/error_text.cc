#include "client/present/error_text.h"

#include "client/present/time_text.h"
#include "protocol/names.h"

namespace caucus::client {
namespace {

using protocol::Code;

constexpr struct {
  std::string_view name;
  Code code;
} kCodes[] = {
#define CAUCUS_X(id, wire, text) {wire, Code::id},
    CAUCUS_ERROR_CODES(CAUCUS_X)
#undef CAUCUS_X
};

constexpr struct {
  std::string_view name;
  protocol::Bye reason;
} kReasons[] = {
#define CAUCUS_X(id, wire, text) {wire, protocol::Bye::id},
    CAUCUS_BYE_REASONS(CAUCUS_X)
#undef CAUCUS_X
};

std::string Plural(int64_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

std::string AttemptsLeft(const std::string& param) {
  int64_t left;
  if (!protocol::ParseCount(param, &left) || left == 0) return "wrong password";
  return "wrong password; " + Plural(left, "attempt", "attempts") +
         " left before the account is locked";
}

std::string LockedFor(const std::string& param) {
  int64_t seconds;
  if (!protocol::ParseCount(param, &seconds)) {
    return "too many wrong passwords: the account is locked for now";
  }
  return "too many wrong passwords: the account is locked for " + Duration(seconds);
}

std::string Bytes(int64_t n) { return Plural(n, "byte", "bytes"); }

std::string Known(Code code, const Reply& r, int64_t now_ms, const ServerRules& rules) {
  const std::string& verb = r.verb;
  switch (code) {
    case Code::kUnknownCommand:
      return "the server does not know " + verb + " (it may be older than this client)";
    case Code::kBadArguments:
      return "the server did not accept the arguments of " + verb;
    case Code::kNotLoggedIn:
      return "you are not logged in";
    case Code::kNotAdmin:
      return "only an admin may do that";
    case Code::kRateLimited:
      return "too many commands at once; wait a moment and try again";
    case Code::kInternal:
      return "the server failed inside; nothing was changed, try again";
    case Code::kLineTooLong:
      return "that line is too long for the server";
    case Code::kBadEncoding:
      return "the server could not read that line (bad UTF-8 or a control character)";
    case Code::kNameTaken:
      return "that name is taken";
    case Code::kBadName:
      return NameRule();
    case Code::kWeakPassword:
      if (rules.min_password > 0) {
        return "that password is too short: this server wants at least " +
               Bytes(rules.min_password);
      }
      return "that password is too short";
    case Code::kRegistrationClosed:
      return "this server does not take new accounts; ask its operator for one";
    case Code::kDomainNotAllowed:
      if (!rules.email_domain.empty()) {
        return "this server takes as names only e-mail addresses at " + rules.Domains();
      }
      return "this server takes only e-mail addresses in the domains it allows as names";
    case Code::kAlreadyLoggedIn:
      return "you are already logged in";
    case Code::kNoSuchUser:
      return r.params.empty() ? "there is no such user" : "there is no user " + r.params[0];
    case Code::kAuthFailed:
      return AttemptsLeft(r.Param(0));
    case Code::kLocked:
      return LockedFor(r.Param(0));
    case Code::kAlreadyOnline:
      return "that account is already logged in elsewhere";
    case Code::kBadToken:
      return "the saved session has ended; log in again";
    case Code::kSelf:
      return verb == "BLOCK" ? "you cannot block yourself" : "that is you";
    case Code::kBlocked:
      return "that user has blocked you; nothing was sent";
    case Code::kTooLong:
      if (rules.max_text > 0) {
        return "the text is too long: this server takes at most " + Bytes(rules.max_text);
      }
      return "the text is too long for this server";
    case Code::kAlreadyBlocked:
      return "you already block that user";
    case Code::kNotBlocked:
      return "you do not block that user";
    case Code::kNoSuchPost:
      return "there is no post with that number";
    case Code::kNotAuthor:
      return "only the post's author (or an admin) may do that";
    case Code::kNoSuchPoll:
      return "there is no poll with that id (polls lists them)";
    case Code::kNoSuchOption:
      return "that poll has no option with that number";
    case Code::kNotOpen:
      return "the poll is not open yet";
    case Code::kClosed:
      return "the poll is closed";
    case Code::kAlreadyVoted:
      return "you have already voted in this poll";
    case Code::kNotEligible:
      return "you are not on this poll's voter roll";
    case Code::kPasswordRequired:
      return "this poll asks for your password again";
    case Code::kResultsHidden:
      if (r.params.empty() || r.params[0] == "-") return "results are hidden until the poll closes";
      return "results are hidden until the poll closes (" + WireLocalTime(r.params[0], now_ms) +
             ")";
    case Code::kNoSuchReceipt:
      return "no ballot in this poll has that receipt";
    default:
      return std::string(protocol::CodeText(code));
  }
}

}  // namespace

std::optional<Code> CodeFromName(std::string_view name) {
  for (const auto& c : kCodes) {
    if (c.name == name) return c.code;
  }
  return std::nullopt;
}

std::string ErrorMessage(const Reply& reply, int64_t now_ms, const ServerRules* rules) {
  static const ServerRules kUnknown;
  if (auto code = CodeFromName(reply.code)) {
    return Known(*code, reply, now_ms, rules ? *rules : kUnknown);
  }
  return reply.text.empty() ? reply.code : reply.text;
}

std::string ByeMessage(std::string_view reason, std::string_view server_text) {
  using protocol::Bye;
  for (const auto& r : kReasons) {
    if (r.name != reason) continue;
    switch (r.reason) {
      case Bye::kLogout:
        return "logged out";
      case Bye::kIdleTimeout:
        return "idle for too long: the server logged you out";
      case Bye::kLocked:
        return "too many wrong passwords: the account is locked";
      case Bye::kReplaced:
        return "this account logged in elsewhere, which took over the session";
      case Bye::kTooManyConnections:
        return "too many connections from this address";
      case Bye::kTooSlow:
        return "this client read too slowly and the server dropped it";
      case Bye::kShutdown:
        return "the server is shutting down";
      case Bye::kHandshakeTimeout:
        return "no login in time (a new connection opens when you go on)";
      default:
        return std::string(protocol::ByeText(r.reason));
    }
  }
  return server_text.empty() ? std::string(reason) : std::string(server_text);
}

}  // namespace caucus::client
