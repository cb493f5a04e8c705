// HTTP and WebSocket clients for the end-to-end tests, with Boost.Beast
// (synchronous, over a blocking socket with receive and send timeouts).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <map>
#include <memory>
#include <string>

#include "harness.h"

namespace caucus::test {

using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

// One HTTP/1.1 request to 127.0.0.1:`port` on a new connection; the
// response, or an exception when there is none.
HttpResponse HttpRequest(uint16_t port, const std::string& target,
                         const std::map<std::string, std::string>& headers = {},
                         boost::beast::http::verb method = boost::beast::http::verb::get);
// Writes `raw` bytes to 127.0.0.1:`port` and returns everything read
// until the server closes (or `timeout` passes).
std::string RawExchange(uint16_t port, const std::string& raw,
                        std::chrono::milliseconds timeout = std::chrono::seconds(15));

// The protocol over a WebSocket: one text frame per line.
class WsClient : public LineClient {
 public:
  // Connects to 127.0.0.1:`port`, upgrades "/ws" with the given Origin
  // header (the page's own origin by default; none when `origin` is "-"),
  // and reads HELLO. Throws boost::system::system_error when the upgrade
  // is refused.
  explicit WsClient(uint16_t port, const std::string& origin = {});
  ~WsClient() override;

  void Send(const std::string& line) override;
  std::optional<std::string> ReadLine(
      std::chrono::milliseconds timeout = std::chrono::seconds(10)) override;
  // Sends raw payload bytes as one frame (text or binary).
  void SendFrame(const std::string& payload, bool text = true);
  // The close code the server sent, once ReadLine() has returned nullopt.
  int close_code() const { return close_code_; }

 private:
  boost::asio::io_context io_;
  std::unique_ptr<boost::beast::websocket::stream<boost::asio::ip::tcp::socket>> ws_;
  boost::beast::flat_buffer buffer_;
  bool reading_ = false;  // an async_read is pending
  bool done_ = false;
  boost::system::error_code error_;
  int close_code_ = 0;
};

}  // namespace caucus::test
