// HTTP messages as caucusd handles them: Beast's request and response with
// the whole body in a string. Requests to caucusd carry no body worth
// keeping; responses are small (a static file, the metrics page).
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace caucus::http {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;
using Status = boost::beast::http::status;

}  // namespace caucus::http
