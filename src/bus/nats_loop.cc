#include "bus/nats_loop.h"

#include <fcntl.h>
#include <nats/nats.h>
#include <poll.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <thread>

namespace caucus::bus {

namespace asio = boost::asio;

// The client's read buffer, and the size its write buffer reaches before it
// asks for a write by itself (it asks at once anyway: SendAsap). A framed
// turn of broadcasts is up to 256 KiB (NatsBus::kMessageBytes).
constexpr int kIoBufferBytes = 128 * 1024;

// The client calls these with its connection's lock held, from whichever
// thread acts: they only record what was asked and post to the loop.
struct NatsLoopCallbacks {
  static natsStatus Attach(void** user, void* loop, natsConnection* nc, natsSock fd) {
    auto* self = static_cast<NatsLoop*>(loop);
    *user = self;
    const int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (copy < 0) return NATS_SYS_ERROR;
    const uint64_t generation = ++self->generation_;
    self->want_read_ = true;
    asio::post(self->io_, [s = self->shared_from_this(), nc, copy, generation] {
      s->Watch(nc, copy, generation);
    });
    return NATS_OK;
  }

  static natsStatus Read(void* user, bool add) {
    auto* self = static_cast<NatsLoop*>(user);
    self->want_read_ = add;
    const uint64_t generation = self->generation_.load();
    asio::post(self->io_, [s = self->shared_from_this(), add, generation] {
      // Removed: the client is about to close its socket (a reconnection).
      if (add) {
        s->ArmRead();
      } else {
        s->Drop(generation);
      }
    });
    return NATS_OK;
  }

  static natsStatus Write(void* user, bool add) {
    auto* self = static_cast<NatsLoop*>(user);
    // Every publication of a turn lands in the client's buffer before the
    // posted flush runs: one write for all of them.
    if (add && !self->flush_posted_.exchange(true)) {
      asio::post(self->io_, [s = self->shared_from_this()] {
        s->flush_posted_ = false;
        s->Flush();
      });
    }
    return NATS_OK;
  }

  static natsStatus Detach(void* user) {
    auto* self = static_cast<NatsLoop*>(user);
    self->want_read_ = false;
    asio::post(self->io_, [s = self->shared_from_this()] { s->Drop(0); });
    return NATS_OK;
  }
};

NatsLoop::NatsLoop(asio::io_context& io, std::function<void()> after_read)
    : io_(io), after_read_(std::move(after_read)) {}

bool NatsLoop::Install(natsOptions* opts) {
  natsStatus s =
      natsOptions_SetEventLoop(opts, this, NatsLoopCallbacks::Attach, NatsLoopCallbacks::Read,
                               NatsLoopCallbacks::Write, NatsLoopCallbacks::Detach);
  // Publications are flushed by the loop, not by the client's flusher thread.
  if (s == NATS_OK) s = natsOptions_SetSendAsap(opts, true);
  if (s == NATS_OK) s = natsOptions_SetIOBufSize(opts, kIoBufferBytes);
  return s == NATS_OK;
}

void NatsLoop::Watch(natsConnection* nc, int fd, uint64_t generation) {
  // Closed, or attached again since (the later Watch is queued).
  if (closed_ || generation != generation_.load()) {
    ::close(fd);
    return;
  }
  Drop(0);
  nc_ = nc;
  socket_ = std::make_shared<Socket>(io_, fd, generation);
  ArmRead();
  Flush();
}

void NatsLoop::Drop(uint64_t generation) {
  if (!socket_ || (generation != 0 && socket_->generation != generation)) return;
  boost::system::error_code ignored;
  socket_->descriptor.close(ignored);  // pending waits end with operation_aborted
  socket_.reset();
}

void NatsLoop::ArmRead() {
  if (closed_ || !socket_ || socket_->read_armed || !want_read_) return;
  auto s = socket_;
  s->read_armed = true;
  // A wait re-arms epoll (EPOLL_CTL_MOD), so data the client left unread
  // (it reads one buffer per event) wakes the loop again.
  s->descriptor.async_wait(asio::posix::descriptor_base::wait_read,
                           [self = shared_from_this(), s](const boost::system::error_code& ec) {
                             s->read_armed = false;
                             if (ec || self->closed_ || s != self->socket_ || !self->want_read_) {
                               return;
                             }
                             natsConnection_ProcessReadEvent(self->nc_);
                             self->after_read_();  // may close us (the bus going)
                             self->ArmRead();
                           });
}

void NatsLoop::Flush() {
  // Never with an empty buffer: the client takes a write of nothing for a
  // closed connection (libnats 3.4) and reconnects.
  if (closed_ || nc_ == nullptr || natsConnection_Buffered(nc_) <= 0) return;
  natsConnection_ProcessWriteEvent(nc_);
  if (!socket_ || socket_->write_armed || natsConnection_Buffered(nc_) <= 0) return;
  // The socket took part of it: the rest when it has room.
  auto s = socket_;
  s->write_armed = true;
  s->descriptor.async_wait(asio::posix::descriptor_base::wait_write,
                           [self = shared_from_this(), s](const boost::system::error_code& ec) {
                             s->write_armed = false;
                             if (ec || self->closed_ || s != self->socket_) return;
                             self->Flush();
                           });
}

void NatsLoop::FlushNow(natsConnection* nc, std::chrono::milliseconds timeout) {
  if (nc == nullptr || natsConnection_Status(nc) != NATS_CONN_STATUS_CONNECTED) return;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (natsConnection_Buffered(nc) > 0) {
    natsConnection_ProcessWriteEvent(nc);
    if (natsConnection_Buffered(nc) <= 0 || std::chrono::steady_clock::now() >= deadline) return;
    if (socket_) {
      pollfd p{socket_->descriptor.native_handle(), POLLOUT, 0};
      ::poll(&p, 1, 50);
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
}

void NatsLoop::Close() {
  closed_ = true;
  want_read_ = false;
  Drop(0);
  nc_ = nullptr;
}

}  // namespace caucus::bus
