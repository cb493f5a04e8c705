// Context: what the command flows (login, commands, votes) work with, and
// how a flow ended.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "client/account/token_store.h"
#include "client/commands/receipt_log.h"
#include "client/input/prompter.h"
#include "client/link/caller.h"
#include "client/link/endpoint.h"
#include "client/present/presenter.h"
#include "client/roster.h"

namespace caucus::client {

// Exit statuses of the caucus program.
constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;  // a command failed, or the server could not be reached
constexpr int kExitUsage = 2;
constexpr int kExitLocked = 3;       // the account is locked
constexpr int kExitCertificate = 4;  // --tls: the server's certificate was refused
constexpr int kExitInterrupted = 130;

enum class Outcome {
  kOk,
  kFailed,       // the command failed; the user was told why
  kCancelled,    // the user gave up answering a question
  kLost,         // the connection ended before the answer
  kInterrupted,  // a signal asked the client to leave
  kLocked,       // the account got locked; the server closes the connection
  kLeave,        // logged out or detached: the client should end
};

// Who is logged in, and how to log in again.
struct Account {
  std::string name;      // as the server shows it; the name to log in as before that
  std::string token;     // for RESUME; empty when there is none
  std::string password;  // only when it came from --password-file or CAUCUS_PASSWORD
};

class PeerControl;
struct ServerRules;

struct Context {
  Caller& server;
  Presenter& out;
  Prompter& prompter;
  Roster& roster;
  std::function<int64_t()> now;  // Unix ms
  bool interactive;              // a person at a terminal (else a script)
  Endpoint endpoint;
  TokenStore* tokens;    // null when sessions are not saved
  ReceiptLog* receipts;  // null when receipts are not saved
  Account account;
  PeerControl* peers = nullptr;  // null when the mode has no peer to peer
  ServerRules* rules = nullptr;  // what the server allows (RULES), when asked
  // The session outlives the client: its token is saved on disk (tokens)
  // and leaving does not log out (--stay-signed-in, or the detach command).
  // Otherwise the token lives only in memory and leaving logs out.
  bool stay_signed_in = false;
  bool vote_mode = false;  // --vote: the voting menu, never signed in past the end
};

// The Outcome for a call that got no answer (REQUIRES: !result.answered()),
// after telling the user why.
Outcome Unanswered(Context& ctx, const CallResult& result);

// The Outcome for an ERR reply that was shown: kLocked for LOCKED (the
// server ends the session), else kFailed.
Outcome Failed(const Reply& reply);

// Saves the current session token when the user stays signed in (and
// sessions are saved), or forgets the saved one when the token is empty;
// failures are told, not fatal.
void SaveSession(Context& ctx);

// Overwrites a secret in memory before it is freed.
void Wipe(std::string& secret);

}  // namespace caucus::client
