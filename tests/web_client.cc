#include "web_client.h"

#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <stdexcept>

namespace caucus::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bh = beast::http;
namespace websocket = beast::websocket;
using asio::ip::tcp;

namespace {

void SetTimeouts(tcp::socket& socket, std::chrono::milliseconds timeout) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

tcp::socket Connect(asio::io_context& io, uint16_t port) {
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  SetTimeouts(socket, std::chrono::seconds(15));
  return socket;
}

}  // namespace

HttpResponse HttpRequest(uint16_t port, const std::string& target,
                         const std::map<std::string, std::string>& headers, bh::verb method) {
  asio::io_context io;
  tcp::socket socket = Connect(io, port);
  bh::request<bh::empty_body> req{method, target, 11};
  req.set(bh::field::host, "127.0.0.1:" + std::to_string(port));
  req.keep_alive(false);
  for (const auto& [k, v] : headers) req.set(k, v);
  bh::write(socket, req);
  beast::flat_buffer buffer;
  bh::response_parser<bh::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  if (method == bh::verb::head) parser.skip(true);
  bh::read(socket, buffer, parser);
  return parser.release();
}

std::string RawExchange(uint16_t port, const std::string& raw, std::chrono::milliseconds timeout) {
  asio::io_context io;
  tcp::socket socket = Connect(io, port);
  SetTimeouts(socket, timeout);
  boost::system::error_code ec;
  asio::write(socket, asio::buffer(raw), ec);
  std::string out;
  char buf[4096];
  while (true) {
    const size_t n = socket.read_some(asio::buffer(buf), ec);
    if (ec) break;
    out.append(buf, n);
  }
  if (ec == asio::error::would_block || ec == asio::error::try_again) {
    throw std::runtime_error("the server neither answered nor closed in time; read: " + out);
  }
  return out;
}

WsClient::WsClient(uint16_t port, const std::string& origin) {
  ws_ = std::make_unique<websocket::stream<tcp::socket>>(Connect(io_, port));
  const std::string host = "127.0.0.1:" + std::to_string(port);
  const std::string page = origin.empty() ? "http://" + host : origin;
  ws_->set_option(websocket::stream_base::decorator([page](websocket::request_type& req) {
    if (page != "-") req.set(bh::field::origin, page);
  }));
  ws_->handshake(host, "/ws");
  ws_->text(true);
  hello_ = ReadLine().value_or("");
}

WsClient::~WsClient() {
  boost::system::error_code ec;
  ws_->next_layer().close(ec);
}

void WsClient::Send(const std::string& line) { SendFrame(line, true); }

void WsClient::SendFrame(const std::string& payload, bool text) {
  ws_->binary(!text);
  ws_->write(asio::buffer(payload));
  ws_->text(true);
}

std::optional<std::string> WsClient::ReadLine(std::chrono::milliseconds timeout) {
  // An asynchronous read that may outlive one call: a read that times out
  // stays pending and the next call waits for the same frame, so the
  // stream is never left in the middle of a frame.
  if (!reading_) {
    reading_ = true;
    done_ = false;
    ws_->async_read(buffer_, [this](boost::system::error_code ec, size_t) {
      done_ = true;
      error_ = ec;
    });
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  io_.restart();
  while (!done_ && std::chrono::steady_clock::now() < deadline) {
    io_.run_one_until(deadline);
  }
  if (!done_) throw std::runtime_error("no frame in time");
  reading_ = false;
  if (error_) {
    close_code_ = ws_->reason().code;
    return std::nullopt;
  }
  std::string frame = beast::buffers_to_string(buffer_.data());
  buffer_.consume(buffer_.size());
  if (frame.find('\n') != std::string::npos) throw std::runtime_error("LF inside a frame");
  return frame;
}

}  // namespace caucus::test
