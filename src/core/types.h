// Basic types of the domain.
#pragma once

#include <cstdint>

#include "store/store.h"

namespace caucus::core {

using AccountId = store::AccountId;
using TimeMs = store::TimeMs;  // milliseconds since the Unix epoch, UTC

}  // namespace caucus::core
