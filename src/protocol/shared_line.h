// SharedLine: an immutable, reference-counted run of bytes (one or more
// complete protocol lines). A broadcast is formatted once into a SharedLine
// and the same bytes are queued to every recipient: copying a SharedLine is
// a counter increment, never an allocation.
//
// Thread-safety: the count is not atomic. A SharedLine and its copies must
// stay on one thread (the event loop that owns every session).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>

namespace caucus::protocol {

class SharedLine {
 public:
  SharedLine() = default;
  // Copies `bytes` into one new allocation.
  static SharedLine Copy(std::string_view bytes);

  SharedLine(const SharedLine& other) : rep_(other.rep_) {
    if (rep_) ++rep_->refs;
  }
  SharedLine(SharedLine&& other) noexcept : rep_(std::exchange(other.rep_, nullptr)) {}
  SharedLine& operator=(SharedLine other) noexcept {
    std::swap(rep_, other.rep_);
    return *this;
  }
  ~SharedLine() { Release(); }

  std::string_view view() const {
    return rep_ ? std::string_view(rep_->data(), rep_->size) : std::string_view();
  }
  const char* data() const { return rep_ ? rep_->data() : nullptr; }
  size_t size() const { return rep_ ? rep_->size : 0; }
  bool empty() const { return size() == 0; }
  explicit operator bool() const { return rep_ != nullptr; }
  uint32_t use_count() const { return rep_ ? rep_->refs : 0; }

 private:
  struct Rep {
    uint32_t refs;
    uint32_t size;
    char* data() { return reinterpret_cast<char*>(this + 1); }
  };
  void Release();
  Rep* rep_ = nullptr;
};

}  // namespace caucus::protocol
