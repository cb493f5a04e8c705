#include "client/json.h"

#include <vector>

namespace caucus::client {
namespace {

std::string Array(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    out += JsonString(items[i]);
  }
  return out + "]";
}

std::string LineObject(const Line& line) {
  return "{\"verb\":" + JsonString(line.verb) + ",\"params\":" + Array(line.params) + "}";
}

}  // namespace

std::string JsonString(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (u < 0x20 || u == 0x7f) {
          out += "\\u00";
          out += kHex[u >> 4];
          out += kHex[u & 15];
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string JsonReply(const Reply& reply, std::string_view message) {
  std::string out = "{\"type\":\"reply\",\"verb\":" + JsonString(reply.verb) +
                    ",\"ok\":" + (reply.ok ? "true" : "false");
  if (!reply.ok) out += ",\"code\":" + JsonString(reply.code);
  out += ",\"params\":" + Array(reply.params);
  if (!reply.ok) {
    out += ",\"text\":" + JsonString(reply.text) + ",\"message\":" + JsonString(message);
  }
  out += ",\"data\":[";
  for (size_t i = 0; i < reply.data.size(); ++i) {
    if (i > 0) out += ',';
    out += LineObject(reply.data[i]);
  }
  return out + "]}";
}

std::string JsonEvent(const Line& event) {
  return "{\"type\":\"event\",\"verb\":" + JsonString(event.verb) +
         ",\"params\":" + Array(event.params) + "}";
}

std::string JsonNotice(std::string_view type, std::string_view text) {
  return "{\"type\":" + JsonString(type) + ",\"text\":" + JsonString(text) + "}";
}

}  // namespace caucus::client
