// WsConnection: one WebSocket client (RFC 6455, Boost.Beast) on the event
// loop, as a Transport: the same ClientSession that serves a TCP line
// connection serves it, so sessions, limits, rate limits, timeouts and BYE
// reasons are the same.
//
// Framing: one text frame per protocol line, each way. Frames the server
// sends carry no LF; a received frame may end in LF or CR LF, which is
// dropped. A frame over --max-line bytes ends the connection with close
// code 1009; a binary frame with 1003.
//
// Flow control as TcpConnection: the next frame is not read while the
// session is busy with a command or while more than `output_pause` bytes
// wait to be written. Each queued line is written as its own frame, one
// write at a time.
//
// Thread-safety: event loop thread only.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <memory>

#include "http/message.h"
#include "net/http_streams.h"
#include "net/loop.h"
#include "net/tcp_connection.h"
#include "net/transport.h"

namespace caucus::net {

// Completes the WebSocket handshake for `request` on `stream` (whose HTTP
// exchange is over), then hands the connection to `sink`; or, without a
// sink, sends `bye` as the only frame and closes with code 1013 (try again
// later). A failed handshake (Beast answers 400 or 426) is logged and
// leaves nothing behind.
template <class Stream>
void AcceptWebSocket(Loop& loop, Stream stream, http::Request request,
                     const ConnectionLimits& limits, std::shared_ptr<LineSink> sink,
                     protocol::SharedLine bye, std::string address);

}  // namespace caucus::net
