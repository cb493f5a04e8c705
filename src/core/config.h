// The domain's settings (the server's command line and config file fill them).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/lockout.h"
#include "core/password.h"
#include "core/types.h"

namespace caucus::core {

enum class MultiLogin { kReject, kReplace, kAllow };
enum class Registration { kOpen, kClosed, kEmail };

struct Config {
  std::string server_name = "caucus";
  LockoutConfig lockout;
  MultiLogin multi_login = MultiLogin::kReject;
  Registration registration = Registration::kOpen;
  std::string email_domain = ".*";  // ECMAScript regex, matched whole, without regard to case
  bool generate_passwords = false;
  size_t min_password = 8;  // bytes
  size_t max_text = 4000;   // bytes of a message, post, title or label
  int64_t token_lifetime_s = 7 * 86400;
  HashCost hash_cost = HashCost::kInteractive;
  int history_page = 100;               // most HISTORY lines per page
  size_t log_writes_in_flight = 65536;  // message-log writes not yet committed before senders wait
  int registrations_per_hour = 200;     // per client address; 0 = unlimited
  int failed_logins_per_minute = 30;    // per client address, across accounts; 0 = unlimited
  TimeMs history_retention_ms = 0;      // the message log keeps this much; 0 = everything
};

}  // namespace caucus::core
