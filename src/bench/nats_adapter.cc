#include "bench/nats_adapter.h"

#include <fmt/format.h>

namespace caucus::bench {
namespace {

void AppendPub(std::string& out, std::string_view subject, std::string_view inbox_of,
               std::string_view text) {
  fmt::format_to(std::back_inserter(out), "PUB {}{} {}\r\n", subject, inbox_of, text.size());
  out.append(text).append("\r\n");
}

}  // namespace

NatsAdapter::NatsAdapter(std::string name, Membership membership)
    : name_(std::move(name)), membership_(membership) {}

void NatsAdapter::Start(std::string& out) {
  fmt::format_to(
      std::back_inserter(out),
      "CONNECT {{\"verbose\":false,\"pedantic\":false,\"echo\":false,\"name\":\"{}\"}}\r\n", name_);
  if (membership_.broadcast) fmt::format_to(std::back_inserter(out), "SUB {} 1\r\n", kSubject);
  if (membership_.inbox) fmt::format_to(std::back_inserter(out), "SUB u.{} 2\r\n", name_);
  out.append("PING\r\n");
}

Event NatsAdapter::OnLine(std::string_view line, std::string& out) {
  using Kind = Event::Kind;
  if (payload_next_) {
    payload_next_ = false;
    return {Kind::kDelivery, line};
  }
  if (line.starts_with("MSG ")) {
    payload_next_ = true;
    return {};
  }
  if (line == "PING") {
    out.append("PONG\r\n");
    return {};
  }
  if (line == "PONG") {
    if (ready_) return {Kind::kPong, line};
    ready_ = true;
    return {Kind::kReady, line};
  }
  if (line.starts_with("-ERR")) return {Kind::kError, line};
  return {};  // INFO, +OK
}

void NatsAdapter::Publish(std::string& out, std::string_view text) {
  AppendPub(out, kSubject, {}, text);
}

void NatsAdapter::Direct(std::string& out, std::string_view to, std::string_view text) {
  AppendPub(out, "u.", to, text);
}

void NatsAdapter::Ping(std::string& out) { out.append("PING\r\n"); }

}  // namespace caucus::bench
