// DownloadFile: where a file from a peer is written. The data goes to a
// hidden temporary file in the downloads directory; Keep() gives it its
// name only after the transfer verified the SHA-256, and Discard() (or the
// destructor) removes it, so that a failed transfer leaves nothing behind.
//
// The name is "<sender>_<offered name>" (the offered name reduced to a safe
// base name); an existing file is never overwritten: "<sender>_<name>-1.ext",
// "-2", ... instead.
//
// Thread-safety: none.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "p2p/receiver.h"

namespace caucus::client {

// The file name a download from `sender` offered as `offered` gets (before
// any numbered suffix): no directories, no control bytes, not hidden.
std::string DownloadName(std::string_view sender, std::string_view offered);

class DownloadFile : public p2p::Sink {
 public:
  // Creates the temporary file in `dir`; nullptr with *error when it cannot.
  static std::unique_ptr<DownloadFile> Create(const std::string& dir, std::string name,
                                              std::string* error);
  ~DownloadFile() override;

  bool Append(std::string_view bytes) override;

  // Writes what is buffered and links the file under its name (with a
  // suffix if taken); returns the path, or nullopt with *error.
  std::optional<std::string> Keep(std::string* error);
  void Discard();

 private:
  DownloadFile(std::string dir, std::string name, std::string temp, int fd)
      : dir_(std::move(dir)), name_(std::move(name)), temp_(std::move(temp)), fd_(fd) {}

  std::string dir_;
  std::string name_;
  bool Flush();

  std::string temp_;  // empty once kept or discarded
  int fd_;
  std::string buffer_;  // appended, not yet written (one write per 1 MiB)
  bool write_failed_ = false;
};

}  // namespace caucus::client
