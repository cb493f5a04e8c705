#include "net/http_connection.h"

#include <spdlog/spdlog.h>

#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <optional>

#include "http/responses.h"
#include "net/http_streams.h"
#include "net/socket_options.h"
#include "net/ws_connection.h"

namespace caucus::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bh = beast::http;

constexpr auto kWriteTimeout = std::chrono::seconds(10);

template <class Stream>
class HttpConnection final : public std::enable_shared_from_this<HttpConnection<Stream>> {
 public:
  HttpConnection(Loop& loop, Stream stream, const ConnectionLimits& limits, HttpHandler& handler,
                 HttpPeer peer, std::shared_ptr<void> hold)
      : loop_(loop),
        stream_(std::move(stream)),
        limits_(limits),
        handler_(handler),
        peer_(std::move(peer)),
        hold_(std::move(hold)),
        timer_(loop.io()) {}

  void Start() {
    if constexpr (std::is_same_v<Stream, TlsHttpStream>) {
      beast::get_lowest_layer(stream_).expires_after(
          std::chrono::milliseconds(limits_.handshake_timeout_ms));
      stream_.async_handshake(asio::ssl::stream_base::server, [self = this->shared_from_this()](
                                                                  beast::error_code ec) {
        beast::get_lowest_layer(self->stream_).expires_never();
        if (ec) {
          spdlog::debug("HTTPS handshake from {} failed: {}", self->peer_.address, ec.message());
          return self->Close();
        }
        self->ReadRequest();
      });
    } else {
      ReadRequest();
    }
  }

 private:
  void ReadRequest() {
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(kBodyLimit);
    timed_out_ = false;
    // Our own timer rather than the stream's, which would close the socket
    // before a 408 could be written.
    timer_.expires_after(std::chrono::milliseconds(limits_.http_request_timeout_ms));
    timer_.async_wait([self = this->shared_from_this()](const boost::system::error_code& ec) {
      if (ec) return;
      self->timed_out_ = true;
      beast::error_code ignored;
      beast::get_lowest_layer(self->stream_).socket().cancel(ignored);
    });
    bh::async_read(stream_, buffer_, *parser_,
                   [self = this->shared_from_this()](beast::error_code ec, size_t) {
                     self->timer_.cancel();
                     self->OnRequest(ec);
                   });
  }

  void OnRequest(beast::error_code ec) {
    if (timed_out_) {
      // Silence between requests closes quietly; a request begun and not
      // finished in time gets 408.
      if (parser_->got_some() || buffer_.size() > 0) {
        spdlog::warn("HTTP client {} too slow to send its request: 408", peer_.address);
        return Fail(bh::status::request_timeout);
      }
      return Close();
    }
    if (ec == bh::error::end_of_stream || ec == asio::error::eof ||
        ec == asio::error::connection_reset || ec == asio::error::operation_aborted ||
        ec == asio::ssl::error::stream_truncated) {
      return Close();
    }
    if (ec == bh::error::header_limit) {
      spdlog::warn("HTTP client {} sent headers over {} bytes: 431", peer_.address, kHeaderLimit);
      return Fail(bh::status::request_header_fields_too_large);
    }
    if (ec == bh::error::body_limit) {
      spdlog::warn("HTTP client {} sent a body over {} bytes: 413", peer_.address, kBodyLimit);
      return Fail(bh::status::payload_too_large);
    }
    if (ec) {
      spdlog::warn("HTTP client {} sent a bad request ({}): 400", peer_.address, ec.message());
      return Fail(bh::status::bad_request);
    }
    http::Request request = parser_->release();
    parser_.reset();
    if (beast::websocket::is_upgrade(request)) return Upgrade(std::move(request));
    Write(handler_.Respond(peer_, request));
  }

  void Upgrade(http::Request request) {
    auto answer = handler_.OnUpgrade(peer_, request);
    if (answer.refuse) {
      answer.refuse->keep_alive(false);
      return Write(std::move(*answer.refuse));
    }
    // The WebSocket owns the stream now, and counts as a session, not as an
    // HTTP connection: this object and its hold on the address end here.
    AcceptWebSocket(loop_, std::move(stream_), std::move(request), limits_, std::move(answer.sink),
                    std::move(answer.bye), peer_.address);
  }

  // Answers `status` and closes.
  void Fail(bh::status status) {
    http::Request request;
    request.version(11);
    auto res = http::ErrorResponse(request, status);
    res.keep_alive(false);
    Write(std::move(res));
  }

  void Write(http::Response response) {
    // Over HTTPS, browsers are told to use nothing else for this host.
    if constexpr (std::is_same_v<Stream, TlsHttpStream>) {
      response.set(http::kStrictTransportSecurityHeader, http::kStrictTransportSecurity);
    }
    response_ = std::move(response);
    beast::get_lowest_layer(stream_).expires_after(kWriteTimeout);
    bh::async_write(stream_, *response_,
                    [self = this->shared_from_this()](beast::error_code ec, size_t n) {
                      beast::get_lowest_layer(self->stream_).expires_never();
                      self->loop_.stats().bytes_sent += n;
                      const bool again = !ec && self->response_->keep_alive();
                      self->response_.reset();
                      if (again) return self->ReadRequest();
                      self->Close();
                    });
  }

  void Close() {
    beast::error_code ec;
    auto& socket = beast::get_lowest_layer(stream_).socket();
    if constexpr (std::is_same_v<Stream, TlsHttpStream>) {
      // close_notify, best effort; the peer is not waited for.
      if (tls_up_) SSL_shutdown(stream_.native_handle());
    }
    socket.shutdown(asio::ip::tcp::socket::shutdown_send, ec);
    socket.close(ec);
  }

  Loop& loop_;
  Stream stream_;
  const ConnectionLimits& limits_;
  HttpHandler& handler_;
  HttpPeer peer_;
  std::shared_ptr<void> hold_;
  asio::steady_timer timer_;
  beast::flat_buffer buffer_;
  std::optional<bh::request_parser<bh::string_body>> parser_;
  std::optional<http::Response> response_;
  bool timed_out_ = false;
  bool tls_up_ = false;  // the TLS handshake is done
};

}  // namespace

void ServeHttp(Loop& loop, asio::ip::tcp::socket socket, const ConnectionLimits& limits,
               std::shared_ptr<TlsContext> tls, HttpHandler& handler, std::string address,
               std::shared_ptr<void> hold) {
  TuneClientSocket(socket);
  HttpPeer peer{std::move(address), tls != nullptr};
  beast::tcp_stream tcp(std::move(socket));
  if (tls) {
    // Asio's context adopts a reference to our SSL_CTX; the stream takes
    // its own when it makes the session.
    SSL_CTX_up_ref(tls->get());
    asio::ssl::context context(tls->get());
    auto conn = std::make_shared<HttpConnection<TlsHttpStream>>(
        loop, TlsHttpStream(std::move(tcp), context), limits, handler, std::move(peer),
        std::move(hold));
    conn->Start();
  } else {
    auto conn = std::make_shared<HttpConnection<PlainHttpStream>>(
        loop, std::move(tcp), limits, handler, std::move(peer), std::move(hold));
    conn->Start();
  }
}

}  // namespace caucus::net
