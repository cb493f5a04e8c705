#include "bench/payload.h"

#include <charconv>
#include <chrono>

namespace caucus::bench {
namespace {

void AppendNumber(std::string& out, int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
  out.push_back('.');
}

// Reads "<digits>." from the front of `text`.
bool TakeNumber(std::string_view& text, int64_t* v) {
  auto r = std::from_chars(text.data(), text.data() + text.size(), *v);
  if (r.ec != std::errc() || *v < 0 || r.ptr == text.data() + text.size() || *r.ptr != '.') {
    return false;
  }
  text.remove_prefix(r.ptr - text.data() + 1);
  return true;
}

}  // namespace

void AppendPayload(std::string& out, const Stamp& stamp, size_t size) {
  const size_t start = out.size();
  AppendNumber(out, stamp.sender);
  AppendNumber(out, stamp.seq);
  AppendNumber(out, stamp.sent_ns);
  if (out.size() - start < size) out.append(size - (out.size() - start), 'x');
}

std::optional<Stamp> ParsePayload(std::string_view text) {
  Stamp s;
  if (!TakeNumber(text, &s.sender) || !TakeNumber(text, &s.seq) || !TakeNumber(text, &s.sent_ns)) {
    return std::nullopt;
  }
  return s;
}

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace caucus::bench
