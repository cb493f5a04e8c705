#include "net/byte_stream.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace caucus::net {

ByteStream::Io PlainStream::Read(char* buf, size_t cap, size_t* n) {
  while (true) {
    const ssize_t r = ::read(fd_, buf, cap);
    if (r > 0) {
      *n = static_cast<size_t>(r);
      return Io::kOk;
    }
    if (r == 0) return Io::kEof;
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return Io::kWantRead;
    return Io::kError;
  }
}

ByteStream::Io PlainStream::Write(const iovec* iov, int count, size_t* n) {
  msghdr msg{};
  msg.msg_iov = const_cast<iovec*>(iov);
  msg.msg_iovlen = static_cast<size_t>(count);
  while (true) {
    const ssize_t w = ::sendmsg(fd_, &msg, MSG_NOSIGNAL);
    if (w >= 0) {
      *n = static_cast<size_t>(w);
      return Io::kOk;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return Io::kWantWrite;
    return Io::kError;
  }
}

void PlainStream::ShutdownWrite() { ::shutdown(fd_, SHUT_WR); }

}  // namespace caucus::net
