// kernel/sched/kernel_stack.cc — the kernel-stack slot bitmap, mapping and unmapping stacks.
#include "kernel/sched/kernel_stack.h"

#include "kernel/arch/address_space.h"
#include "kernel/arch/spinlock.h"
#include "kernel/mm/kernel_space.h"
#include "kernel/mm/pmm.h"
#include "lib/base/atomic.h"
#include "lib/base/page_size.h"

namespace hiillos::sched {
namespace {

constexpr unsigned kStackOrder = 2;  // 4 pages = kKernelStackSize
static_assert((kPageSize << kStackOrder) == kKernelStackSize);
static_assert(kKernelStackStride >= kKernelStackSize + kPageSize, "room for a guard page");
constexpr uint64_t kStackPages = kKernelStackSize / kPageSize;
constexpr uint32_t kWords = kMaxKernelStacks / 64;

// Slot bitmap: bit set = slot in use. `g_hint`: no free slot lives in a word below it.
IrqSpinLock g_lock;
uint64_t g_used[kWords] TA_GUARDED(g_lock);
uint32_t g_hint TA_GUARDED(g_lock);
Atomic<uint64_t> g_count;  // stacks allocated

uint32_t TakeSlot() {
  IrqSpinLockGuard guard(g_lock);
  for (uint32_t word = g_hint; word < kWords; ++word) {
    if (g_used[word] == ~0ull) continue;
    uint32_t bit = static_cast<uint32_t>(__builtin_ctzll(~g_used[word]));
    g_used[word] |= 1ull << bit;
    g_hint = word;
    return word * 64 + bit;
  }
  return kNoStackSlot;
}

void ReturnSlot(uint32_t slot) {
  IrqSpinLockGuard guard(g_lock);
  g_used[slot / 64] &= ~(1ull << (slot % 64));
  if (slot / 64 < g_hint) g_hint = slot / 64;
}

uint64_t SlotTop(uint32_t slot) {
  return mm::kKernelStackRegionBase + (static_cast<uint64_t>(slot) + 1) * kKernelStackStride;
}

}  // namespace

Result<KernelStack, mm::Error> AllocateKernelStack() {
  uint32_t slot = TakeSlot();
  if (slot == kNoStackSlot) return Err{mm::Error::kOutOfMemory};
  auto phys = mm::AllocatePages(kStackOrder, mm::PageUse::kKernel);
  if (!phys.ok()) {
    ReturnSlot(slot);
    return Err{phys.error()};
  }
  KernelStack stack;
  stack.slot = slot;
  stack.top = SlotTop(slot);
  stack.base = stack.top - kKernelStackSize;
  stack.phys = phys.value();
  if (!mm::KernelMap(stack.base, stack.phys, kKernelStackSize, {.writable = true, .global = true})
           .ok()) {
    (void)mm::FreePages(stack.phys, kStackOrder);
    ReturnSlot(slot);
    return Err{mm::Error::kOutOfMemory};
  }
  g_count.FetchAdd(1, MemoryOrder::kRelaxed);
  return stack;
}

void FreeKernelStack(KernelStack& stack) {
  if (stack.slot == kNoStackSlot) return;
  // The mapping was made by AllocateKernelStack, so unmapping cannot fail.
  (void)mm::KernelUnmap(stack.base, kKernelStackSize);
  arch::KernelTlbShootdown(stack.base, kStackPages);
  (void)mm::FreePages(stack.phys, kStackOrder);
  ReturnSlot(stack.slot);
  g_count.FetchSub(1, MemoryOrder::kRelaxed);
  stack = KernelStack{};
}

uint64_t KernelStackCount() {
  return g_count.Load(MemoryOrder::kRelaxed);
}

}  // namespace hiillos::sched
