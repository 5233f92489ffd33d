// kernel/arch/x86_64/mmio_window.cc — bump allocation of window space + KernelMap uncached.
#include "kernel/arch/x86_64/mmio_window.h"

#include "kernel/arch/spinlock.h"
#include "kernel/arch/x86_64/kernel_services.h"
#include "lib/base/checked.h"
#include "lib/base/page_size.h"

namespace hiillos::arch {
namespace {

constexpr uint64_t kMaxPhys = 1ull << 52;  // SDM Vol.3A §4.1.4: MAXPHYADDR is at most 52

SpinLock g_lock;
uint64_t g_next TA_GUARDED(g_lock) = kMmioWindowBase;

}  // namespace

Result<uint64_t, MmioError> MapMmio(uint64_t phys, uint64_t bytes) {
  uint64_t end = 0;
  if (bytes == 0 || !CheckedAdd(phys, bytes, &end) || end > kMaxPhys) {
    return Err(MmioError::kBadRange);
  }
  uint64_t first = phys & ~(kPageSize - 1);
  uint64_t span = ((end + kPageSize - 1) & ~(kPageSize - 1)) - first;
  uint64_t virt = 0;
  {
    SpinLockGuard guard(g_lock);
    uint64_t used = g_next - kMmioWindowBase;
    if (span + kPageSize > kMmioWindowSize - used) return Err(MmioError::kWindowFull);
    virt = g_next;
    g_next += span + kPageSize;  // the guard page stays unmapped
  }
  // The window space is ours alone now; the page-table lock is taken inside KernelMap.
  auto mapped = kernel_services::MapUncached(virt, first, span);
  if (!mapped.ok()) return Err(MmioError::kMapFailed);
  return virt + (phys - first);
}

}  // namespace hiillos::arch
