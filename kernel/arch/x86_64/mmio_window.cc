// kernel/arch/x86_64/mmio_window.cc — bump allocation of window space + KernelMap uncached, and
// the record of which physical pages the kernel mapped (MmioOwnedByKernel).
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

struct OwnedRange {
  uint64_t first;  // page aligned
  uint64_t end;    // page aligned, exclusive
};
OwnedRange g_owned[kMaxKernelMmioRanges] TA_GUARDED(g_lock);
uint32_t g_owned_count TA_GUARDED(g_lock) = 0;

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
    if (g_owned_count == kMaxKernelMmioRanges) return Err(MmioError::kWindowFull);
    g_owned[g_owned_count++] = {first, first + span};
    virt = g_next;
    g_next += span + kPageSize;  // the guard page stays unmapped
  }
  // The window space is ours alone now; the page-table lock is taken inside KernelMap.
  auto mapped = kernel_services::MapUncached(virt, first, span);
  if (!mapped.ok()) return Err(MmioError::kMapFailed);
  return virt + (phys - first);
}

bool MmioOwnedByKernel(uint64_t phys, uint64_t bytes) {
  uint64_t end = 0;
  if (!CheckedAdd(phys, bytes, &end)) return true;
  SpinLockGuard guard(g_lock);
  for (uint32_t i = 0; i < g_owned_count; ++i) {
    if (phys < g_owned[i].end && g_owned[i].first < end) return true;
  }
  return false;
}

}  // namespace hiillos::arch
