// The stable error codes of `ERR` replies and the reasons of `BYE` events
// (PROTOCOL.md "Replies and events" and every section's error column).
// Each has its wire name and a default text for people.
#pragma once

#include <string_view>

namespace caucus::protocol {

#define CAUCUS_ERROR_CODES(X)                                                      \
  X(kUnknownCommand, "UNKNOWN_COMMAND", "unknown command")                         \
  X(kBadArguments, "BAD_ARGUMENTS", "bad arguments")                               \
  X(kNotLoggedIn, "NOT_LOGGED_IN", "log in first")                                 \
  X(kNotAdmin, "NOT_ADMIN", "this needs an admin account")                         \
  X(kRateLimited, "RATE_LIMITED", "too many commands, slow down")                  \
  X(kInternal, "INTERNAL", "internal error, nothing was changed")                  \
  X(kLineTooLong, "LINE_TOO_LONG", "line too long, discarded")                     \
  X(kBadEncoding, "BAD_ENCODING", "invalid UTF-8 or control byte")                 \
  X(kNameTaken, "NAME_TAKEN", "that name is taken")                                \
  X(kBadName, "BAD_NAME", "names are 1 to 64 of letters, digits and . _ - @ +")    \
  X(kWeakPassword, "WEAK_PASSWORD", "password too short")                          \
  X(kRegistrationClosed, "REGISTRATION_CLOSED", "registration is closed")          \
  X(kDomainNotAllowed, "DOMAIN_NOT_ALLOWED", "e-mail domain not allowed")          \
  X(kAlreadyLoggedIn, "ALREADY_LOGGED_IN", "this connection is already logged in") \
  X(kNoSuchUser, "NO_SUCH_USER", "no such user")                                   \
  X(kAuthFailed, "AUTH_FAILED", "wrong password")                                  \
  X(kLocked, "LOCKED", "too many wrong passwords, locked")                         \
  X(kAlreadyOnline, "ALREADY_ONLINE", "already logged in elsewhere")               \
  X(kBadToken, "BAD_TOKEN", "unknown, expired or revoked token")                   \
  X(kSelf, "SELF", "that is you")                                                  \
  X(kBlocked, "BLOCKED", "that user has blocked you")                              \
  X(kTooLong, "TOO_LONG", "text too long")                                         \
  X(kAlreadyBlocked, "ALREADY_BLOCKED", "already blocked")                         \
  X(kNotBlocked, "NOT_BLOCKED", "not blocked")                                     \
  X(kNoSuchPost, "NO_SUCH_POST", "no such post")                                   \
  X(kNotAuthor, "NOT_AUTHOR", "only the author may do that")                       \
  X(kNoSuchPoll, "NO_SUCH_POLL", "no such poll")                                   \
  X(kNoSuchOption, "NO_SUCH_OPTION", "no such option")                             \
  X(kNotOpen, "NOT_OPEN", "the poll is not open")                                  \
  X(kClosed, "CLOSED", "the poll is closed")                                       \
  X(kAlreadyVoted, "ALREADY_VOTED", "you have already voted")                      \
  X(kNotEligible, "NOT_ELIGIBLE", "you are not on this poll's voter roll")         \
  X(kPasswordRequired, "PASSWORD_REQUIRED", "this poll needs your password")       \
  X(kResultsHidden, "RESULTS_HIDDEN", "results are hidden until the poll closes")  \
  X(kNoSuchReceipt, "NO_SUCH_RECEIPT", "no ballot has that receipt")               \
  X(kAlreadyOpen, "ALREADY_OPEN", "the poll is already open")                      \
  X(kTooManyOptions, "TOO_MANY_OPTIONS", "a poll has at most 50 options")          \
  X(kTooFewOptions, "TOO_FEW_OPTIONS", "a poll needs at least 2 options")          \
  X(kNotOnline, "NOT_ONLINE", "that user is not online")                           \
  X(kNoP2P, "NO_P2P", "that user does not accept peer-to-peer invitations")        \
  X(kNoSuchInvite, "NO_SUCH_INVITE", "no such invitation")

enum class Code {
#define CAUCUS_X(id, wire, text) id,
  CAUCUS_ERROR_CODES(CAUCUS_X)
#undef CAUCUS_X
};

std::string_view CodeName(Code code);
std::string_view CodeText(Code code);

#define CAUCUS_BYE_REASONS(X)                                            \
  X(kLogout, "LOGOUT", "logged out")                                     \
  X(kIdleTimeout, "IDLE_TIMEOUT", "idle for too long, logged out")       \
  X(kLocked, "LOCKED", "too many wrong passwords")                       \
  X(kReplaced, "REPLACED", "logged in elsewhere")                        \
  X(kTooManyConnections, "TOO_MANY_CONNECTIONS", "too many connections") \
  X(kTooSlow, "TOO_SLOW", "reading too slowly, output queue full")       \
  X(kShutdown, "SHUTDOWN", "server shutting down")                       \
  X(kHandshakeTimeout, "HANDSHAKE_TIMEOUT", "no login in time")          \
  X(kRateLimited, "RATE_LIMITED", "too many commands")

enum class Bye {
#define CAUCUS_X(id, wire, text) id,
  CAUCUS_BYE_REASONS(CAUCUS_X)
#undef CAUCUS_X
};

std::string_view ByeName(Bye reason);
std::string_view ByeText(Bye reason);

}  // namespace caucus::protocol
