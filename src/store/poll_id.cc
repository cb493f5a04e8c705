#include "store/store.h"

namespace caucus::store {

int64_t PollSeq(const std::string& poll_id) {
  if (poll_id.size() < 2 || poll_id.size() > 19 || poll_id[0] != 'p') return -1;
  int64_t seq = 0;
  for (size_t i = 1; i < poll_id.size(); ++i) {
    if (poll_id[i] < '0' || poll_id[i] > '9') return -1;
    seq = seq * 10 + (poll_id[i] - '0');
  }
  return seq;
}

}  // namespace caucus::store
