#include "core/directory.h"

#include "protocol/names.h"

namespace caucus::core {

Account* Directory::Find(std::string_view name) {
  auto it = by_key_.find(protocol::FoldName(name));
  return it == by_key_.end() ? nullptr : it->second;
}

Account* Directory::Get(AccountId id) {
  if (id <= 0 || static_cast<size_t>(id) >= by_id_.size()) return nullptr;
  return by_id_[id].get();
}

Account& Directory::Upsert(const store::AccountRecord& r) {
  if (static_cast<size_t>(r.id) >= by_id_.size()) by_id_.resize(r.id + 1);
  auto& slot = by_id_[r.id];
  if (!slot) {
    slot = std::make_unique<Account>();
    slot->id = r.id;
    slot->name = r.name;
    slot->key = protocol::FoldName(r.name);
    by_key_.emplace(slot->key, slot.get());
  }
  slot->admin = r.admin;
  slot->maybe_queued = slot->maybe_queued || r.has_queued;
  slot->last_login_ms = std::max(slot->last_login_ms, r.last_login_ms);
  return *slot;
}

bool Directory::Taken(const std::string& key) const {
  return by_key_.count(key) > 0 || reserved_.count(key) > 0;
}

}  // namespace caucus::core
