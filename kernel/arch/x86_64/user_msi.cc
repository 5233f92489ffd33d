// kernel/arch/x86_64/user_msi.cc — MSI vectors bound to user-space handlers (user_msi.h).
#include "kernel/arch/x86_64/user_msi.h"

#include "kernel/arch/spinlock.h"
#include "kernel/arch/x86_64/idt.h"
#include "kernel/arch/x86_64/lapic.h"
#include "kernel/arch/x86_64/percpu.h"
#include "kernel/arch/x86_64/vectors.h"

namespace hiillos::arch::x86_64 {
namespace {

constexpr uint32_t kMsiVectors = kLastMsiVector - kFirstMsiVector + 1;
constexpr uint32_t kBootCpu = 0;
// SDM Vol.3A §10.11.1: bits 31:20 = 0xfee, bits 19:12 = destination APIC ID, RH = DM = 0.
constexpr uint64_t kMsiAddressBase = 0xfee0'0000;
constexpr unsigned kMsiDestinationShift = 12;

struct Binding {
  IrqSpinLock lock;
  UserMsiHook hook = nullptr;  // lock
  void* context = nullptr;     // lock
};
Binding g_bindings[kMsiVectors];

void UserMsiInterrupt(InterruptFrame& frame) {
  uint32_t index = static_cast<uint32_t>(frame.vector) - kFirstMsiVector;
  if (index < kMsiVectors) {
    Binding& binding = g_bindings[index];
    IrqSpinLockGuard guard(binding.lock);
    if (binding.hook != nullptr) binding.hook(binding.context);
  }
  LapicEoi();
}

}  // namespace

Result<UserMsiTarget, UserMsiError> UserMsiBind(UserMsiHook hook, void* context) {
  // The boot CPU's APIC ID: xAPIC destinations are 8 bits (x2APIC IDs beyond that would need
  // interrupt remapping, which this kernel does not use).
  uint32_t apic_id = PerCpuRecord(kBootCpu).lapic_id;
  if (apic_id > 0xff) return Err{UserMsiError::kNoFreeVector};
  for (uint32_t i = 0; i < kMsiVectors; ++i) {
    Binding& binding = g_bindings[i];
    IrqSpinLockGuard guard(binding.lock);
    if (binding.hook != nullptr) continue;
    auto vector = static_cast<uint8_t>(kFirstMsiVector + i);
    // The vector belongs to MSIs alone; a stale registration from an earlier binding is
    // replaced.
    (void)ClearInterruptHandler(vector);
    if (!SetInterruptHandler(vector, UserMsiInterrupt).ok()) continue;
    binding.hook = hook;
    binding.context = context;
    return UserMsiTarget{vector, kMsiAddressBase | (uint64_t{apic_id} << kMsiDestinationShift),
                         vector};  // data: fixed delivery, edge, this vector
  }
  return Err{UserMsiError::kNoFreeVector};
}

void UserMsiUnbind(uint8_t vector) {
  uint32_t index = static_cast<uint32_t>(vector) - kFirstMsiVector;
  if (vector < kFirstMsiVector || index >= kMsiVectors) return;
  Binding& binding = g_bindings[index];
  IrqSpinLockGuard guard(binding.lock);
  binding.hook = nullptr;
  binding.context = nullptr;
}

}  // namespace hiillos::arch::x86_64
