#include "bench/report.h"

#include <fmt/format.h>

#include <cmath>

#include "protocol/json_string.h"

namespace caucus::bench {
namespace {

std::string Quoted(std::string_view s) { return protocol::JsonString(s); }

}  // namespace

Report& Report::Text(std::string key, std::string_view value) {
  fields_.emplace_back(std::move(key), std::string(value));
  return *this;
}

Report& Report::Int(std::string key, int64_t value) {
  fields_.emplace_back(std::move(key), value);
  return *this;
}

Report& Report::Real(std::string key, double value, int decimals) {
  fields_.emplace_back(std::move(key), RealValue{value, decimals});
  return *this;
}

const std::string* Report::FindText(std::string_view key) const {
  for (const auto& [k, value] : fields_) {
    if (k == key) return std::get_if<std::string>(&value);
  }
  return nullptr;
}

std::string Report::KeyValueLine() const {
  std::string out;
  for (const auto& [key, value] : fields_) {
    if (!out.empty()) out += ' ';
    out += key;
    out += '=';
    if (const auto* s = std::get_if<std::string>(&value)) {
      const bool plain = !s->empty() && s->find_first_of(" \"\\\t\r\n") == std::string::npos;
      out += plain ? *s : Quoted(*s);
    } else if (const auto* i = std::get_if<int64_t>(&value)) {
      out += std::to_string(*i);
    } else {
      const auto& r = std::get<RealValue>(value);
      out += fmt::format("{:.{}f}", r.value, r.decimals);
    }
  }
  return out;
}

std::string Report::Json() const {
  std::string out = "{";
  for (const auto& [key, value] : fields_) {
    if (out.size() > 1) out += ',';
    out += Quoted(key);
    out += ':';
    if (const auto* s = std::get_if<std::string>(&value)) {
      out += Quoted(*s);
    } else if (const auto* i = std::get_if<int64_t>(&value)) {
      out += std::to_string(*i);
    } else {
      const auto& r = std::get<RealValue>(value);
      out += std::isfinite(r.value) ? fmt::format("{:.{}f}", r.value, r.decimals) : "null";
    }
  }
  out += '}';
  return out;
}

}  // namespace caucus::bench
