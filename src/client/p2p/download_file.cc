#include "client/p2p/download_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace caucus::client {

std::string DownloadName(std::string_view sender, std::string_view offered) {
  const size_t slash = offered.find_last_of('/');
  if (slash != std::string_view::npos) offered.remove_prefix(slash + 1);
  std::string base;
  for (char c : offered) {
    const auto u = static_cast<unsigned char>(c);
    base.push_back(u < 0x20 || u == 0x7F || c == '\\' ? '_' : c);
  }
  while (!base.empty() && base.front() == '.') base.erase(0, 1);
  if (base.empty()) base = "file";
  return std::string(sender) + "_" + base;
}

namespace {

// Makes a new name in `dir` durable (best effort: some file systems refuse
// fsync on a directory, and the data is already safe).
void SyncDirectory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

std::unique_ptr<DownloadFile> DownloadFile::Create(const std::string& dir, std::string name,
                                                   std::string* error) {
  std::string temp = dir + "/." + name + ".part-XXXXXX";
  const int fd = ::mkostemp(temp.data(), O_CLOEXEC);
  if (fd < 0) {
    *error = "cannot create a file in " + dir + ": " + std::strerror(errno);
    return nullptr;
  }
  return std::unique_ptr<DownloadFile>(new DownloadFile(dir, std::move(name), temp, fd));
}

DownloadFile::~DownloadFile() { Discard(); }

bool DownloadFile::Append(std::string_view bytes) {
  buffer_.append(bytes);
  return buffer_.size() < (1 << 20) || Flush();
}

bool DownloadFile::Flush() {
  std::string_view left = buffer_;
  while (!left.empty() && !write_failed_) {
    const ssize_t n = ::write(fd_, left.data(), left.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) write_failed_ = true;
    if (n > 0) left.remove_prefix(static_cast<size_t>(n));
  }
  buffer_.clear();
  return !write_failed_;
}

std::optional<std::string> DownloadFile::Keep(std::string* error) {
  if (temp_.empty()) {
    *error = "the file is gone";
    return std::nullopt;
  }
  // On disk before it is named and reported saved: a crash right after
  // "saved as" must not leave a short or empty file under that name.
  if (!Flush() || ::fsync(fd_) != 0) {
    *error = std::string("cannot write the file: ") + std::strerror(errno);
    return std::nullopt;
  }
  const size_t dot = name_.find_last_of('.');
  const bool has_ext = dot != std::string::npos && dot > name_.find('_') + 1;
  const std::string stem = has_ext ? name_.substr(0, dot) : name_;
  const std::string ext = has_ext ? name_.substr(dot) : "";
  for (int n = 0; n < 10000; ++n) {
    const std::string path = dir_ + "/" + (n == 0 ? name_ : stem + "-" + std::to_string(n) + ext);
    // link() fails when the name is taken, so nothing is ever overwritten.
    if (::link(temp_.c_str(), path.c_str()) == 0) {
      ::unlink(temp_.c_str());
      SyncDirectory(dir_);
      temp_.clear();
      ::close(fd_);
      fd_ = -1;
      return path;
    }
    if (errno != EEXIST) {
      *error = "cannot name the file " + path + ": " + std::strerror(errno);
      return std::nullopt;
    }
  }
  *error = "too many files named " + name_;
  return std::nullopt;
}

void DownloadFile::Discard() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (!temp_.empty()) ::unlink(temp_.c_str());
  temp_.clear();
}

}  // namespace caucus::client
