#include "client/present/json.h"

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
