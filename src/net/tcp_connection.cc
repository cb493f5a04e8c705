#include "net/tcp_connection.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <cerrno>
#include <utility>

#include "net/tls_stream.h"

namespace caucus::net {
namespace {

constexpr int kMaxIov = 64;
constexpr size_t kReadPerTurn = 256 * 1024;  // then let other connections run

}  // namespace

TcpConnection::TcpConnection(Loop& loop, int fd, const ConnectionLimits& limits,
                             std::shared_ptr<TlsContext> tls)
    : loop_(loop),
      fd_(fd),
      limits_(limits),
      framer_(limits.max_line),
      plain_(fd),
      stream_(&plain_) {
  if (tls) {
    tls_ = TlsStream::Make(std::move(tls), fd_);
    stream_ = tls_.get();
  }
}

TcpConnection::~TcpConnection() {
  if (phase_ != Phase::kClosed) ::close(fd_);  // never started
}

void TcpConnection::Start(std::shared_ptr<LineSink> sink) {
  self_ = shared_from_this();
  sink_ = std::move(sink);
  if (stream_ == nullptr) return Finish();  // TLS could not start
  // Registered before the first read: an edge-triggered registration
  // reports what is already pending, so nothing that arrives is missed.
  if (!loop_.poller().Add(fd_, this)) return Finish();
  if (stream_ == &plain_) return Open();
  phase_ = Phase::kHandshake;
  close_timer_ = std::make_unique<boost::asio::steady_timer>(loop_.io());
  close_timer_->expires_after(std::chrono::milliseconds(limits_.handshake_timeout_ms));
  close_timer_->async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (!ec && self->phase_ == Phase::kHandshake) self->Finish();
  });
  Handshake();
}

void TcpConnection::Handshake() {
  if (phase_ == Phase::kClosed) return;
  const auto io = stream_->Handshake();
  if (io == ByteStream::Io::kOk) {
    close_timer_->cancel();
    close_timer_.reset();
    return Open();
  }
  if (io == ByteStream::Io::kWantRead) {
    read_waiting_ = true;
  } else if (io == ByteStream::Io::kWantWrite) {
    write_waiting_ = true;
  } else {
    Finish();
  }
}

void TcpConnection::OnReady(uint32_t events) {
  if (phase_ == Phase::kClosed) return;  // closed earlier in this batch of events
  const bool readable = (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0;
  if ((events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0) hung_up_ = true;
  const bool writable = (events & (EPOLLOUT | EPOLLHUP | EPOLLERR)) != 0;
  const bool wake_read = readable && read_waiting_;
  const bool wake_write = writable && write_waiting_;
  if (!wake_read && !wake_write) return;  // nobody waits: a later read or write sees it
  if (wake_read) read_waiting_ = false;
  if (wake_write) write_waiting_ = false;
  if (phase_ == Phase::kHandshake) return Handshake();
  if (wake_write) OnWritable();
  if (wake_read && phase_ != Phase::kClosed) OnReadable();
}

void TcpConnection::Open() {
  phase_ = Phase::kOpen;
  sink_->OnOpen(this);
  if (phase_ == Phase::kOpen) ReadSome();
}

bool TcpConnection::HoldingInput() const {
  // Hold (stop reading) while a command runs and a few lines wait behind
  // it, or while the client is not reading its replies.
  return (sink_busy_ && framer_.buffered() > limits_.max_line * 2) ||
         out_.bytes() > limits_.output_pause;
}

void TcpConnection::ReadSome() {
  size_t total = 0;
  while (phase_ == Phase::kOpen && !eof_) {
    if (HoldingInput()) return;  // ResumeInput() or Flush() reads again
    size_t n = 0;
    switch (stream_->Read(loop_.scratch(), Loop::kScratchSize, &n)) {
      case ByteStream::Io::kOk:
        ++loop_.stats().reads;
        loop_.stats().bytes_read += n;
        framer_.Append(std::string_view(loop_.scratch(), n));
        Dispatch();
        total += n;
        if (n < Loop::kScratchSize && stream_->short_read_drains() && !hung_up_) {
          // The socket is empty: the next bytes make a new edge (each
          // arrival does, edge-triggered), so the read that would answer
          // EAGAIN is saved. Not once a hang-up was reported: that edge is
          // spent, and only reading on finds the end of the stream.
          WaitReadable();
          return;
        }
        if (total >= kReadPerTurn) {
          boost::asio::post(loop_.io(), [self = shared_from_this()] { self->ReadSome(); });
          return;
        }
        continue;
      case ByteStream::Io::kWantRead:
        WaitReadable();
        return;
      case ByteStream::Io::kWantWrite:
        read_needs_write_ = true;
        WaitWritable();
        return;
      case ByteStream::Io::kEof:
      case ByteStream::Io::kError:
        // End of stream or a reset: answer what was received, then close.
        eof_ = true;
        Dispatch();
        return;
    }
  }
}

// Called only after the stream answered "would block" for a read: the
// next input makes a new edge.
void TcpConnection::WaitReadable() {
  if (phase_ == Phase::kClosed) return;
  read_waiting_ = true;
}

void TcpConnection::OnReadable() {
  if (phase_ == Phase::kShut) return Drain();
  if (std::exchange(write_needs_read_, false)) Flush();
  if (phase_ != Phase::kClosed) ReadSome();
}

void TcpConnection::Dispatch() {
  if (in_dispatch_) return;
  in_dispatch_ = true;
  bool all_taken = false;  // every complete line has gone to the sink
  while (phase_ == Phase::kOpen && !sink_busy_ && out_.bytes() <= limits_.output_pause) {
    const auto frame = framer_.Next();
    if (frame.kind == protocol::LineFramer::Kind::kNone) {
      all_taken = true;
      break;
    }
    if (!sink_->OnFrame(frame)) sink_busy_ = true;
  }
  in_dispatch_ = false;
  if (framer_.buffered() == 0) framer_.Compact();
  // At the end of the stream, once every line is answered, close (an
  // unfinished last line is dropped).
  if (eof_ && all_taken && phase_ == Phase::kOpen) CloseAfterFlush();
}

void TcpConnection::ResumeInput() {
  sink_busy_ = false;
  if (in_dispatch_ || dispatch_posted_ || phase_ == Phase::kClosed) return;
  dispatch_posted_ = true;
  boost::asio::post(loop_.io(), [self = shared_from_this()] {
    self->dispatch_posted_ = false;
    self->Dispatch();
    if (!self->read_waiting_ && !self->eof_) self->ReadSome();
  });
}

void TcpConnection::Send(const protocol::SharedLine& bytes) {
  if (phase_ >= Phase::kShut) return;
  out_.Push(bytes);
  RequestFlush();
}

void TcpConnection::RequestFlush() {
  if (flush_requested_ || write_waiting_) return;
  flush_requested_ = true;
  loop_.ScheduleFlush(shared_from_this());
}

void TcpConnection::Flush() {
  flush_requested_ = false;
  if (phase_ == Phase::kClosed || write_waiting_ || write_needs_read_) return;
  const bool was_holding = out_.bytes() > limits_.output_pause;
  while (!out_.empty()) {
    iovec iov[kMaxIov];
    const int count = out_.Gather(iov, kMaxIov);
    size_t n = 0;
    switch (stream_->Write(iov, count, &n)) {
      case ByteStream::Io::kOk:
        ++loop_.stats().sends;
        loop_.stats().bytes_sent += n;
        out_.Consume(n);
        continue;
      case ByteStream::Io::kWantWrite:
        WaitWritable();
        return;
      case ByteStream::Io::kWantRead:
        write_needs_read_ = true;
        WaitReadable();
        return;
      case ByteStream::Io::kEof:
      case ByteStream::Io::kError:
        Finish();  // the peer is gone
        return;
    }
  }
  if (phase_ == Phase::kClosing) {
    BeginClose();
    return;
  }
  if (was_holding) {
    // The client caught up: take its commands again.
    Dispatch();
    if (!read_waiting_ && !eof_) ReadSome();
  }
}

// Called only after the stream answered "would block" for a write.
void TcpConnection::WaitWritable() {
  if (phase_ == Phase::kClosed) return;
  write_waiting_ = true;
}

void TcpConnection::OnWritable() {
  if (std::exchange(read_needs_write_, false)) ReadSome();
  if (phase_ != Phase::kClosed) Flush();
}

void TcpConnection::CloseAfterFlush() { CloseWithin(limits_.close_timeout_ms); }

void TcpConnection::CloseWithin(int timeout_ms) {
  if (phase_ >= Phase::kClosing) return;
  phase_ = Phase::kClosing;
  close_timer_ = std::make_unique<boost::asio::steady_timer>(loop_.io());
  close_timer_->expires_after(std::chrono::milliseconds(timeout_ms));
  close_timer_->async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (!ec) self->Finish();
  });
  if (out_.empty()) {
    BeginClose();
  } else {
    RequestFlush();
  }
}

void TcpConnection::BeginClose() {
  // Everything is written. Shut our side down and read until the peer
  // closes too: closing with unread input would send a reset that can
  // destroy the last lines before the client reads them.
  if (phase_ != Phase::kClosing) return;
  phase_ = Phase::kShut;
  stream_->ShutdownWrite();
  if (eof_) return Finish();
  Drain();
}

void TcpConnection::Drain() {
  while (phase_ == Phase::kShut) {
    size_t n = 0;
    switch (stream_->Read(loop_.scratch(), Loop::kScratchSize, &n)) {
      case ByteStream::Io::kOk:
        continue;
      case ByteStream::Io::kWantRead:
        WaitReadable();
        return;
      default:
        Finish();
        return;
    }
  }
}

void TcpConnection::Abort(const protocol::SharedLine& last) {
  if (phase_ >= Phase::kClosing) return;
  // The line being written is finished (the stream stays whole), then only
  // `last` follows: a slow reader still gets its BYE when it reads.
  out_.DropUnstarted();
  if (last) out_.Push(last);
  CloseWithin(limits_.abort_timeout_ms);
}

void TcpConnection::Finish() {
  if (phase_ == Phase::kClosed) return;
  const bool was_open = phase_ >= Phase::kOpen;
  phase_ = Phase::kClosed;
  read_waiting_ = write_waiting_ = false;
  ::close(fd_);  // also leaves the epoll set: the descriptor is never duplicated
  if (close_timer_) close_timer_->cancel();
  if (sink_) {
    if (was_open) sink_->OnClosed();
    sink_.reset();
  }
  // Events of this batch may still name this connection (OnReady ignores
  // them once closed): it is freed after the batch.
  boost::asio::post(loop_.io(), [self = std::move(self_)] {});
}

}  // namespace caucus::net
