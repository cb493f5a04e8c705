#include "net/ws_connection.h"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <deque>

namespace caucus::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

template <class Stream>
class WsConnection final : public Transport,
                           public std::enable_shared_from_this<WsConnection<Stream>> {
 public:
  WsConnection(Loop& loop, Stream stream, const ConnectionLimits& limits, std::string address)
      : loop_(loop), ws_(std::move(stream)), limits_(limits), address_(std::move(address)) {}

  void Accept(http::Request request, std::shared_ptr<LineSink> sink, protocol::SharedLine bye) {
    self_ = this->shared_from_this();
    sink_ = std::move(sink);
    beast::get_lowest_layer(ws_).expires_never();
    websocket::stream_base::timeout timeout{};
    timeout.handshake_timeout = std::chrono::milliseconds(limits_.close_timeout_ms);
    timeout.idle_timeout = websocket::stream_base::none();
    timeout.keep_alive_pings = false;
    ws_.set_option(timeout);
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(beast::http::field::server, "caucusd"); }));
    ws_.read_message_max(limits_.max_line);
    ws_.auto_fragment(false);
    ws_.text(true);
    ws_.async_accept(request, [self = self_, bye = std::move(bye)](beast::error_code ec) {
      self->Accepted(ec, bye);
    });
  }

  // Transport
  void Send(const protocol::SharedLine& bytes) override {
    if (closed_ || close_sent_ || bytes.empty()) return;
    out_bytes_ += bytes.size();
    out_.push_back(bytes);
    WriteNext();
  }
  size_t Queued() const override { return out_bytes_; }
  void CloseAfterFlush() override { CloseWithin(limits_.close_timeout_ms); }
  void Abort(const protocol::SharedLine& last) override {
    if (closed_ || closing_) return;
    // The frame being written is finished; only `last` follows it.
    while (out_.size() > (writing_ ? 1u : 0u)) {
      out_bytes_ -= out_.back().size() - (out_.size() == 1 ? out_offset_ : 0);
      out_.pop_back();
    }
    if (!writing_) out_offset_ = 0;
    if (last) {
      out_bytes_ += last.size();
      out_.push_back(last);
    }
    CloseWithin(limits_.abort_timeout_ms);
  }
  void Close() override { Finish(); }
  void ResumeInput() override {
    busy_ = false;
    // Posted: the sink may call this from inside OnFrame(), while the
    // frame still points into the read buffer.
    asio::post(loop_.io(), [self = this->shared_from_this()] { self->ReadNext(); });
  }

 private:
  void Accepted(beast::error_code ec, const protocol::SharedLine& bye) {
    if (closed_) return;
    if (ec) {
      spdlog::warn("WebSocket handshake from {} failed: {}", address_, ec.message());
      return Finish();
    }
    if (!sink_) {
      close_code_ = websocket::close_code::try_again_later;
      Send(bye);
      return CloseAfterFlush();
    }
    opened_ = true;
    sink_->OnOpen(this);
    ReadNext();
  }

  bool OutputFull() const { return out_bytes_ > limits_.output_pause; }

  void ReadNext() {
    if (reading_ || busy_ || closing_ || closed_ || OutputFull()) return;
    in_.consume(in_.size());
    reading_ = true;
    ws_.async_read(
        in_, [self = this->shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
  }

  void OnRead(beast::error_code ec) {
    reading_ = false;
    if (closed_) return;
    if (ec) {
      if (ec == websocket::error::message_too_big) {
        spdlog::warn("WebSocket client {} sent a frame over --max-line ({} bytes): closed (1009)",
                     address_, limits_.max_line);
      } else if (ec != websocket::error::closed && ec != asio::error::eof &&
                 ec != asio::error::operation_aborted) {
        spdlog::debug("WebSocket client {}: {}", address_, ec.message());
      }
      return Finish();
    }
    if (closing_) return;  // the close handshake reads the rest
    if (!ws_.got_text()) {
      spdlog::warn("WebSocket client {} sent a binary frame: closed (1003)", address_);
      close_code_ = websocket::close_code::unknown_data;
      return CloseWithin(limits_.close_timeout_ms);
    }
    std::string_view line(static_cast<const char*>(in_.data().data()), in_.size());
    if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!sink_->OnFrame({protocol::LineFramer::Kind::kLine, line})) busy_ = true;
    ReadNext();
  }

  void WriteNext() {
    while (!writing_ && !closed_) {
      if (out_.empty()) {
        if (closing_ && !close_sent_) SendClose();
        return;
      }
      const std::string_view rest = out_.front().view().substr(out_offset_);
      const size_t lf = rest.find('\n');
      const size_t taken = lf == std::string_view::npos ? rest.size() : lf + 1;
      const std::string_view frame =
          rest.substr(0, lf == std::string_view::npos ? rest.size() : lf);
      if (frame.empty()) {
        Consumed(taken);
        continue;
      }
      writing_ = true;
      ws_.async_write(asio::buffer(frame.data(), frame.size()),
                      [self = this->shared_from_this(), taken](beast::error_code ec, size_t) {
                        self->writing_ = false;
                        if (self->closed_) return;
                        if (ec) return self->Finish();
                        ++self->loop_.stats().sends;
                        self->loop_.stats().bytes_sent += taken;
                        const bool was_full = self->OutputFull();
                        self->Consumed(taken);
                        self->WriteNext();
                        if (was_full && !self->OutputFull()) self->ReadNext();
                      });
    }
  }

  void Consumed(size_t n) {
    out_offset_ += n;
    out_bytes_ -= n;
    if (out_offset_ >= out_.front().size()) {
      out_.pop_front();
      out_offset_ = 0;
    }
  }

  void CloseWithin(int timeout_ms) {
    if (closing_ || closed_) return;
    closing_ = true;
    close_timer_ = std::make_unique<asio::steady_timer>(loop_.io());
    close_timer_->expires_after(std::chrono::milliseconds(timeout_ms));
    close_timer_->async_wait(
        [self = this->shared_from_this()](const boost::system::error_code& ec) {
          if (!ec) self->Finish();
        });
    WriteNext();
  }

  void SendClose() {
    close_sent_ = true;
    writing_ = true;
    ws_.async_close(close_code_, [self = this->shared_from_this()](beast::error_code) {
      self->writing_ = false;
      self->Finish();
    });
  }

  void Finish() {
    if (closed_) return;
    closed_ = true;
    beast::error_code ec;
    beast::get_lowest_layer(ws_).socket().close(ec);  // cancels what is pending
    if (close_timer_) close_timer_->cancel();
    if (sink_) {
      if (opened_) sink_->OnClosed();
      sink_.reset();
    }
    // out_ stays: a cancelled write may still point into its front line.
    self_.reset();  // freed once the cancelled operations have run
  }

  Loop& loop_;
  websocket::stream<Stream> ws_;
  const ConnectionLimits& limits_;
  std::string address_;
  std::shared_ptr<LineSink> sink_;
  std::shared_ptr<WsConnection> self_;  // from Accept() until Finish()
  beast::flat_buffer in_;
  std::deque<protocol::SharedLine> out_;
  size_t out_offset_ = 0;  // bytes of out_.front() already written
  size_t out_bytes_ = 0;   // unwritten bytes
  std::unique_ptr<asio::steady_timer> close_timer_;
  websocket::close_reason close_code_{websocket::close_code::normal};
  bool opened_ = false;      // the sink has the connection
  bool reading_ = false;     // an async_read is pending
  bool writing_ = false;     // an async_write or async_close is pending
  bool busy_ = false;        // the sink holds input until ResumeInput()
  bool closing_ = false;     // writing the rest, then the close frame
  bool close_sent_ = false;  // async_close started
  bool closed_ = false;
};

}  // namespace

template <class Stream>
void AcceptWebSocket(Loop& loop, Stream stream, http::Request request,
                     const ConnectionLimits& limits, std::shared_ptr<LineSink> sink,
                     protocol::SharedLine bye, std::string address) {
  auto conn =
      std::make_shared<WsConnection<Stream>>(loop, std::move(stream), limits, std::move(address));
  conn->Accept(std::move(request), std::move(sink), std::move(bye));
}

template void AcceptWebSocket<PlainHttpStream>(Loop&, PlainHttpStream, http::Request,
                                               const ConnectionLimits&, std::shared_ptr<LineSink>,
                                               protocol::SharedLine, std::string);
template void AcceptWebSocket<TlsHttpStream>(Loop&, TlsHttpStream, http::Request,
                                             const ConnectionLimits&, std::shared_ptr<LineSink>,
                                             protocol::SharedLine, std::string);

}  // namespace caucus::net
