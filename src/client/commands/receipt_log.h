// ReceiptLog: the receipts of votes, kept in a file (mode 0600) so that a
// voter can VERIFY later. One line per vote:
// "<time> <server> <name> <poll-id> <option> <receipt>", time in RFC 3339 UTC.
#pragma once

#include <cstdint>
#include <string>

namespace caucus::client {

struct ReceiptEntry {
  int64_t time_ms = 0;
  std::string server;  // Endpoint::Key()
  std::string name;
  std::string poll;
  std::string option;
  std::string receipt;
};

class ReceiptLog {
 public:
  explicit ReceiptLog(std::string path) : path_(std::move(path)) {}

  bool Append(const ReceiptEntry& entry, std::string* error);
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace caucus::client
