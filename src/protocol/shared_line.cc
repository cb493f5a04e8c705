#include "protocol/shared_line.h"

#include <cstdlib>
#include <cstring>
#include <new>

namespace caucus::protocol {

SharedLine SharedLine::Copy(std::string_view bytes) {
  SharedLine line;
  void* mem = std::malloc(sizeof(Rep) + bytes.size());
  if (mem == nullptr) throw std::bad_alloc();
  line.rep_ = new (mem) Rep{1, static_cast<uint32_t>(bytes.size())};
  if (!bytes.empty()) std::memcpy(line.rep_->data(), bytes.data(), bytes.size());
  return line;
}

void SharedLine::Release() {
  if (rep_ && --rep_->refs == 0) std::free(rep_);
  rep_ = nullptr;
}

}  // namespace caucus::protocol
