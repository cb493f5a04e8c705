#include "client/account/config_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace caucus::client {
namespace {

bool WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

bool Fail(const std::string& what, const std::string& path, std::string* error) {
  *error = what + " " + path + ": " + std::strerror(errno);
  return false;
}

}  // namespace

std::string ConfigDir() {
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg) {
    return std::string(xdg) + "/caucus";
  }
  if (const char* home = std::getenv("HOME"); home && *home) {
    return std::string(home) + "/.config/caucus";
  }
  return {};
}

std::string DirOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

bool EnsurePrivateDir(const std::string& dir, std::string* error) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) == 0) return true;
  const std::string parent = DirOf(dir);
  if (parent != dir && !EnsurePrivateDir(parent, error)) return false;
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return Fail("cannot create", dir, error);
  return true;
}

bool WritePrivateFile(const std::string& path, std::string_view content, std::string* error) {
  const std::string tmp = path + ".tmp" + std::to_string(::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Fail("cannot write", tmp, error);
  const bool written = WriteAll(fd, content) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written || ::rename(tmp.c_str(), path.c_str()) != 0) {
    Fail("cannot write", path, error);
    ::unlink(tmp.c_str());
    return false;
  }
  return true;
}

bool AppendPrivateLine(const std::string& path, std::string_view line, std::string* error) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return Fail("cannot write", path, error);
  std::string bytes(line);
  bytes += '\n';
  const bool written = WriteAll(fd, bytes) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written) return Fail("cannot write", path, error);
  return true;
}

}  // namespace caucus::client
