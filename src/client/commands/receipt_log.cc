#include "client/commands/receipt_log.h"

#include "client/account/config_files.h"
#include "protocol/wire_time.h"

namespace caucus::client {

bool ReceiptLog::Append(const ReceiptEntry& e, std::string* error) {
  const std::string line = protocol::FormatTime(e.time_ms) + " " + e.server + " " + e.name + " " +
                           e.poll + " " + e.option + " " + e.receipt;
  return EnsurePrivateDir(DirOf(path_), error) && AppendPrivateLine(path_, line, error);
}

}  // namespace caucus::client
