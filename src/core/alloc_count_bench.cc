// A global operator new that counts, for the micro-benchmarks that check
// allocation counts (broadcast_bench.cc, session/dm_bench.cc): every
// thread's, and the calling thread's alone. Linked into caucus_microbench
// only.
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>

namespace {
std::atomic<uint64_t> g_allocations{0};
thread_local uint64_t t_allocations = 0;
}  // namespace

uint64_t AllocationCount() { return g_allocations.load(std::memory_order_relaxed); }
uint64_t ThreadAllocationCount() { return t_allocations; }

void* operator new(size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  ++t_allocations;
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
