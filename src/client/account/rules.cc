#include "client/account/rules.h"

#include <regex>
#include <vector>

#include "client/present/time_text.h"
#include "protocol/names.h"

namespace caucus::client {
namespace {

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  while (true) {
    const size_t at = s.find(sep);
    out.push_back(s.substr(0, at));
    if (at == std::string_view::npos) return out;
    s.remove_prefix(at + 1);
  }
}

// The literal a pattern alternative stands for ("example\.org" is
// example.org); empty when it is more than a literal.
std::string Literal(std::string_view pattern) {
  static constexpr std::string_view kSpecial = "\\^$.*+?()[]{}|";
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size() &&
        kSpecial.find(pattern[i + 1]) != std::string_view::npos) {
      out.push_back(pattern[++i]);
    } else if (kSpecial.find(c) != std::string_view::npos) {
      return {};
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string Bytes(int64_t n) { return std::to_string(n) + (n == 1 ? " byte" : " bytes"); }

}  // namespace

ServerRules ServerRules::From(const Reply& reply) {
  ServerRules r;
  if (!reply.ok) return r;
  r.known = true;
  for (const auto& line : reply.data) {
    if (line.verb != "RULE") continue;
    const std::string& key = line.Param(0);
    const std::string& value = line.Param(1);
    int64_t n = 0;
    const bool number = protocol::ParseCount(value, &n);
    if (key == "registration") {
      r.registration = value;
    } else if (key == "email-domain") {
      r.email_domain = value;
    } else if (key == "passwords") {
      r.generated_passwords = value == "generated";
    } else if (key == "min-password" && number) {
      r.min_password = n;
    } else if (key == "max-text" && number) {
      r.max_text = n;
    } else if (key == "idle-timeout" && number) {
      r.idle_timeout = n;
    }
  }
  return r;
}

std::string ServerRules::Domains() const {
  std::string_view pattern = email_domain;
  if (pattern.empty() || pattern == ".*" || pattern == ".+") return "any domain";
  if (pattern.size() > 2 && pattern.front() == '(' && pattern.back() == ')' &&
      pattern.find_first_of("()", 1) == pattern.size() - 1) {
    pattern = pattern.substr(1, pattern.size() - 2);
  }
  std::string out;
  const auto parts = Split(pattern, '|');
  for (size_t i = 0; i < parts.size(); ++i) {
    const std::string literal = Literal(parts[i]);
    if (literal.empty()) return "domains matching the pattern " + email_domain;
    if (i > 0) out += i + 1 == parts.size() ? " or " : ", ";
    out += literal;
  }
  return out;
}

bool ServerRules::AllowsDomainOf(std::string_view address) const {
  const size_t at = address.rfind('@');
  if (email_domain.empty() || at == std::string_view::npos) return true;
  try {
    const std::regex re(email_domain, std::regex::ECMAScript | std::regex::icase);
    const std::string domain(address.substr(at + 1));
    return std::regex_match(domain, re);
  } catch (const std::regex_error&) {
    return true;
  }
}

std::string ServerRules::Greeting() const {
  if (!known) return {};
  const std::string password =
      generated_passwords ? "the server makes the password and shows it to you once"
      : min_password > 0  ? "a password of at least " + Bytes(min_password) + " of your choice"
                          : "a password of your choice";
  std::string s;
  if (registration == "closed") {
    s = "This server takes no new accounts: log in with yours, or ask its operator for one.";
  } else if (registration == "email") {
    s = "You can create an account here with your e-mail address at " + Domains() +
        " as its name; " + password + ".";
  } else {
    s = "Anyone can create an account here: a name of up to 64 letters, digits and . _ - @ + "
        "(starting with a letter or digit), and " +
        password + ".";
  }
  if (max_text > 0) s += " Messages and posts are up to " + Bytes(max_text) + ".";
  if (idle_timeout > 0) {
    s += " After " + Duration(idle_timeout) + " without a command the server logs you out.";
  }
  return s;
}

std::string NameRule() {
  return "a name is 1 to 64 ASCII letters (a-z, A-Z), digits and . _ - @ +, starting with a "
         "letter or digit";
}

std::string WhyNotAName(std::string_view name) {
  if (protocol::IsValidName(name)) return {};
  if (name.empty()) return "a name cannot be empty";
  if (name.size() > 64)
    return NameRule() + ": that one is " + Bytes(static_cast<int64_t>(name.size())) + " long";
  for (size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (c >= 0x80) {
      size_t end = i + 1;
      while (end < name.size() && (static_cast<unsigned char>(name[end]) & 0xC0) == 0x80) ++end;
      return NameRule() + ". '" + std::string(name.substr(i, end - i)) +
             "' is not ASCII: names are the same on every keyboard and terminal, and compared "
             "without regard to case, so letters with accents or from other alphabets are not "
             "taken (write it without them, e.g. jose for josé)";
    }
  }
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-' || c == '@' || c == '+';
    if (!ok) return NameRule() + ": '" + std::string(1, c) + "' is not one of them";
  }
  return NameRule() + ": it cannot start with '" + std::string(1, name.front()) + "'";
}

}  // namespace caucus::client
