#include "net/tcp_connection.h"

#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <cerrno>

#include "net/address.h"

namespace caucus::net {
namespace {

constexpr int kMaxIov = 64;
constexpr size_t kReadPerTurn = 256 * 1024;  // then let other connections run

}  // namespace

TcpConnection::TcpConnection(Loop& loop, boost::asio::ip::tcp::socket socket,
                             const ConnectionLimits& limits)
    : loop_(loop), socket_(std::move(socket)), limits_(limits), framer_(limits.max_line) {
  boost::system::error_code ec;
  const auto remote = socket_.remote_endpoint(ec);
  address_ = ec ? std::string("unknown") : AddressText(remote.address());
  socket_.non_blocking(true, ec);
  socket_.set_option(boost::asio::ip::tcp::no_delay(true), ec);
  socket_.set_option(boost::asio::socket_base::keep_alive(true), ec);
}

TcpConnection::~TcpConnection() = default;

void TcpConnection::Start(std::shared_ptr<LineSink> sink) {
  self_ = shared_from_this();
  sink_ = std::move(sink);
  sink_->OnOpen(this);
  if (!closed_ && !closing_) ReadSome();
}

bool TcpConnection::HoldingInput() const {
  // Hold (stop reading) while a command runs and a few lines wait behind
  // it, or while the client is not reading its replies.
  return (sink_busy_ && framer_.buffered() > limits_.max_line * 2) ||
         out_.bytes() > limits_.output_pause;
}

void TcpConnection::ReadSome() {
  size_t total = 0;
  while (!closed_ && !closing_ && !eof_) {
    if (HoldingInput()) return;  // ResumeInput() or Flush() reads again
    const ssize_t n = ::read(socket_.native_handle(), loop_.scratch(), Loop::kScratchSize);
    if (n > 0) {
      ++loop_.stats().reads;
      loop_.stats().bytes_read += static_cast<uint64_t>(n);
      framer_.Append(std::string_view(loop_.scratch(), static_cast<size_t>(n)));
      Dispatch();
      total += static_cast<size_t>(n);
      if (total >= kReadPerTurn) {
        boost::asio::post(loop_.io(), [self = shared_from_this()] { self->ReadSome(); });
        return;
      }
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      WaitReadable();
      return;
    }
    // End of stream or a reset: answer what was received, then close.
    eof_ = true;
    Dispatch();
  }
}

void TcpConnection::WaitReadable() {
  if (read_waiting_ || closed_) return;
  read_waiting_ = true;
  socket_.async_wait(boost::asio::socket_base::wait_read,
                     [self = shared_from_this()](const boost::system::error_code& ec) {
                       self->read_waiting_ = false;
                       if (ec || self->closed_) return;
                       if (self->shut_) {
                         self->Drain();
                       } else {
                         self->ReadSome();
                       }
                     });
}

void TcpConnection::Dispatch() {
  if (in_dispatch_) return;
  in_dispatch_ = true;
  bool all_taken = false;  // every complete line has gone to the sink
  while (!closed_ && !closing_ && !sink_busy_ && out_.bytes() <= limits_.output_pause) {
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
  if (eof_ && all_taken && !closing_ && !closed_) CloseAfterFlush();
}

void TcpConnection::ResumeInput() {
  sink_busy_ = false;
  if (in_dispatch_ || dispatch_posted_ || closed_) return;
  dispatch_posted_ = true;
  boost::asio::post(loop_.io(), [self = shared_from_this()] {
    self->dispatch_posted_ = false;
    self->Dispatch();
    if (!self->read_waiting_ && !self->eof_) self->ReadSome();
  });
}

void TcpConnection::Send(const protocol::SharedLine& bytes) {
  if (closed_ || shut_) return;
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
  if (closed_) return;
  const bool was_holding = out_.bytes() > limits_.output_pause;
  while (!out_.empty()) {
    iovec iov[kMaxIov];
    msghdr msg{};
    msg.msg_iov = iov;
    msg.msg_iovlen = static_cast<size_t>(out_.Gather(iov, kMaxIov));
    const ssize_t n = ::sendmsg(socket_.native_handle(), &msg, MSG_NOSIGNAL);
    ++loop_.stats().sends;
    if (n >= 0) {
      loop_.stats().bytes_sent += static_cast<uint64_t>(n);
      out_.Consume(static_cast<size_t>(n));
      continue;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      WaitWritable();
      return;
    }
    Finish();  // the peer is gone
    return;
  }
  if (closing_) {
    BeginClose();
    return;
  }
  if (was_holding) {
    // The client caught up: take its commands again.
    Dispatch();
    if (!read_waiting_ && !eof_) ReadSome();
  }
}

void TcpConnection::WaitWritable() {
  if (write_waiting_) return;
  write_waiting_ = true;
  socket_.async_wait(boost::asio::socket_base::wait_write,
                     [self = shared_from_this()](const boost::system::error_code& ec) {
                       self->write_waiting_ = false;
                       if (ec || self->closed_) return;
                       self->Flush();
                     });
}

void TcpConnection::CloseAfterFlush() {
  if (closing_ || closed_) return;
  closing_ = true;
  close_timer_ = std::make_unique<boost::asio::steady_timer>(loop_.io());
  close_timer_->expires_after(std::chrono::milliseconds(limits_.close_timeout_ms));
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
  if (shut_) return;
  shut_ = true;
  boost::system::error_code ec;
  socket_.shutdown(boost::asio::socket_base::shutdown_send, ec);
  if (ec || eof_) return Finish();
  Drain();
}

void TcpConnection::Drain() {
  while (!closed_) {
    const ssize_t n = ::read(socket_.native_handle(), loop_.scratch(), Loop::kScratchSize);
    if (n > 0) continue;
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      WaitReadable();
      return;
    }
    Finish();
    return;
  }
}

void TcpConnection::Abort(const protocol::SharedLine& last) {
  if (closed_) return;
  out_.DropUnstarted();
  if (last) out_.Push(last);
  closing_ = true;
  Flush();  // one attempt; what the kernel does not take now is lost
  Finish();
}

void TcpConnection::Finish() {
  if (closed_) return;
  closed_ = true;
  boost::system::error_code ec;
  socket_.close(ec);  // cancels the pending waits
  if (close_timer_) close_timer_->cancel();
  if (sink_) {
    sink_->OnClosed();
    sink_.reset();
  }
  self_.reset();  // freed once the cancelled waits have run
}

}  // namespace caucus::net
