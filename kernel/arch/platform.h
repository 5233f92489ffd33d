// kernel/arch/platform.h — the architecture interface for boot-time bring-up, in the order
// KernelMain calls it: leave the boot stack, measure the cycle counter, set up this CPU, the
// interrupt controllers and the other CPUs, and give idle CPUs their scheduler loop.
//
// From the implementation (kernel/arch/x86_64/{stack_switch,cpu_init,interrupt_controllers,
// smp}.h): SwitchStackAndCall, PerCpuInit, BootCpuLapicId, InterruptControllersInit, SmpInit,
// SetApIdleHook.
#pragma once

#include <stdint.h>

#include "kernel/arch/api_concepts.h"
#include "kernel/arch/x86_64/cpu_init.h"
#include "kernel/arch/x86_64/interrupt_controllers.h"
#include "kernel/arch/x86_64/smp.h"
#include "kernel/arch/x86_64/stack_switch.h"
#include "lib/acpi/madt.h"
#include "uapi/boot_info.h"

namespace hiillos::arch {

static_assert(requires(uint32_t index, const acpi::Madt& madt, const uapi::BootInfo& info,
                       ApIdleHook hook, uint64_t stack_top, void (*fn)(void*), void* arg) {
  { PerCpuInit(index, index) } -> SameAs<void>;
  { BootCpuLapicId() } -> SameAs<uint32_t>;
  { InterruptControllersInit(madt) } -> SameAs<void>;
  { SmpInit(madt, info) } -> SameAs<void>;
  { SetApIdleHook(hook) } -> SameAs<void>;
  { SwitchStackAndCall(stack_top, fn, arg) } -> SameAs<void>;
});

}  // namespace hiillos::arch
