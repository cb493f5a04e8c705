// Outcome<T>: the result of a command in the domain, a value or a Failure
// that the server turns into an `ERR` reply.
#pragma once

#include <cassert>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "protocol/codes.h"

namespace caucus::core {

struct Failure {
  protocol::Code code = protocol::Code::kInternal;
  std::vector<std::string> params;   // words after the code, e.g. AUTH_FAILED <attempts-left>
  std::optional<protocol::Bye> bye;  // the session ends after the reply, with this reason
  std::string text;                  // for people; empty = the code's default text
};

inline Failure Fail(protocol::Code code, std::vector<std::string> params = {}) {
  return Failure{code, std::move(params), std::nullopt, {}};
}

template <class T>
class Outcome {
 public:
  Outcome(T value) : value_(std::move(value)) {}              // NOLINT: implicit by design
  Outcome(Failure failure) : failure_(std::move(failure)) {}  // NOLINT

  bool ok() const { return value_.has_value(); }
  T& value() {
    assert(ok());
    return *value_;
  }
  T* operator->() { return &value(); }
  const Failure& failure() const {
    assert(!ok());
    return failure_;
  }

 private:
  std::optional<T> value_;
  Failure failure_;
};

template <class T>
using Reply = std::function<void(Outcome<T>)>;

// The value of commands that answer a bare OK.
struct Ok {};

}  // namespace caucus::core
