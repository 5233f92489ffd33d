// kernel/arch/x86_64/user_irq.cc — binding IOAPIC lines to user-space handlers (user_irq.h).
#include "kernel/arch/x86_64/user_irq.h"

#include "kernel/arch/spinlock.h"
#include "kernel/arch/x86_64/idt.h"
#include "kernel/arch/x86_64/ioapic.h"
#include "kernel/arch/x86_64/lapic.h"
#include "kernel/arch/x86_64/vectors.h"

namespace hiillos::arch::x86_64 {
namespace {

constexpr uint32_t kUsableGsis = kLastDeviceVector - kFirstDeviceVector + 1;
constexpr uint32_t kBootCpu = 0;
constexpr uint64_t kIsaIrqCount = 16;

struct Binding {
  IrqSpinLock lock;
  UserIrqHook hook = nullptr;  // lock
  void* context = nullptr;     // lock
};
Binding g_bindings[kUsableGsis];

void UserIrqInterrupt(InterruptFrame& frame) {
  uint32_t gsi = static_cast<uint32_t>(frame.vector) - kFirstDeviceVector;
  if (gsi < kUsableGsis) {
    Binding& binding = g_bindings[gsi];
    IrqSpinLockGuard guard(binding.lock);
    (void)IoApicMask(gsi);  // until the driver acknowledges (or for good: nobody is bound)
    if (binding.hook != nullptr) binding.hook(binding.context);
  }
  LapicEoi();
}

}  // namespace

Result<uint32_t, UserIrqError> UserIrqResolve(uint64_t line) {
  uint64_t gsi = line < kIsaIrqCount ? IsaIrqRoute(static_cast<uint8_t>(line)).gsi : line;
  if (gsi >= kUsableGsis || gsi >= IoApicGsiCount()) return Err{UserIrqError::kNoSuchLine};
  return static_cast<uint32_t>(gsi);
}

namespace {

// Routes `gsi` as `route` says to its vector on the boot CPU, binds the hook and unmasks it.
Result<void, UserIrqError> BindRoute(uint32_t gsi, IrqRoute route, UserIrqHook hook,
                                     void* context) {
  if (gsi >= kUsableGsis) return Err{UserIrqError::kNoSuchLine};
  auto vector = static_cast<uint8_t>(kFirstDeviceVector + gsi);
  Binding& binding = g_bindings[gsi];
  {
    IrqSpinLockGuard guard(binding.lock);
    if (binding.hook != nullptr) return Err{UserIrqError::kBusy};
    if (!IoApicRoute(gsi, vector, kBootCpu, route.polarity, route.trigger).ok()) {
      return Err{UserIrqError::kNoSuchLine};
    }
    // The vector belongs to this GSI alone; a stale registration from an earlier binding is
    // replaced.
    (void)ClearInterruptHandler(vector);
    if (!SetInterruptHandler(vector, UserIrqInterrupt).ok()) return Err{UserIrqError::kBusy};
    binding.hook = hook;
    binding.context = context;
    (void)IoApicUnmask(gsi);
  }
  return Ok<UserIrqError>();
}

}  // namespace

Result<void, UserIrqError> UserIrqBind(uint32_t gsi, uint64_t line, UserIrqHook hook,
                                       void* context) {
  IrqRoute route{gsi, IrqPolarity::kActiveLow, IrqTrigger::kLevel};  // PCI INTx
  if (line < kIsaIrqCount) route = IsaIrqRoute(static_cast<uint8_t>(line));
  return BindRoute(gsi, route, hook, context);
}

Result<uint32_t, UserIrqError> UserIrqResolveGsi(uint64_t gsi) {
  if (gsi < kIsaIrqCount || gsi >= kUsableGsis || gsi >= IoApicGsiCount()) {
    return Err{UserIrqError::kNoSuchLine};
  }
  return static_cast<uint32_t>(gsi);
}

Result<void, UserIrqError> UserIrqBindGsi(uint32_t gsi, bool active_low, UserIrqHook hook,
                                          void* context) {
  IrqRoute route{gsi, active_low ? IrqPolarity::kActiveLow : IrqPolarity::kActiveHigh,
                 IrqTrigger::kLevel};
  return BindRoute(gsi, route, hook, context);
}

void UserIrqUnbind(uint32_t gsi) {
  if (gsi >= kUsableGsis) return;
  Binding& binding = g_bindings[gsi];
  IrqSpinLockGuard guard(binding.lock);
  (void)IoApicMask(gsi);
  binding.hook = nullptr;
  binding.context = nullptr;
}

void UserIrqUnmask(uint32_t gsi) {
  if (gsi >= kUsableGsis) return;
  Binding& binding = g_bindings[gsi];
  IrqSpinLockGuard guard(binding.lock);
  if (binding.hook != nullptr) (void)IoApicUnmask(gsi);
}

}  // namespace hiillos::arch::x86_64
