// Status and Result<T>: errors as values across the store boundary.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace caucus::store {

class Status {
 public:
  enum class Code {
    kOk,
    kNotFound,  // the thing asked for does not exist
    kConflict,  // a uniqueness rule refused the write (name taken, already voted)
    kFailed,    // the store could not do it (disk full, read-only, I/O error); nothing changed
  };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status NotFound(std::string msg = {}) { return Status(Code::kNotFound, std::move(msg)); }
  static Status Conflict(std::string msg = {}) { return Status(Code::kConflict, std::move(msg)); }
  static Status Failed(std::string msg) { return Status(Code::kFailed, std::move(msg)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  bool not_found() const { return code_ == Code::kNotFound; }
  bool conflict() const { return code_ == Code::kConflict; }
  bool failed() const { return code_ == Code::kFailed; }
  const std::string& message() const { return message_; }

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// Either a value or a non-ok Status.
template <class T>
class Result {
 public:
  Result() : status_(Status::Failed("no result")) {}
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) { assert(!status_.ok()); }  // NOLINT

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  T& value() {
    assert(ok());
    return *value_;
  }
  const T& value() const {
    assert(ok());
    return *value_;
  }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::optional<T> value_;
  Status status_;
};

// The value of writes that return nothing.
struct Done {};

}  // namespace caucus::store
