// kernel/arch/x86_64/percpu.h — per-CPU data reached through GS: PerCpu, CurrentCpu().
//
// Ownership: one PerCpu record per CPU in static storage (kMaxCpus, no heap needed), written by
// its own CPU (PerCpuInstall during PerCpuInit) and afterwards only by that CPU, except the
// read-only identity fields. Lives forever.
//
// GS convention (plan for user mode): while the CPU runs kernel code IA32_GS_BASE points at its
// PerCpu and IA32_KERNEL_GS_BASE holds the user's GS base; every kernel entry from ring 3 (and
// the exit back) executes SWAPGS (interrupt_entry.S does it for interrupts; the SYSCALL entry
// will do it too). Kernel code therefore always sees its PerCpu at %gs:0.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "kernel/arch/x86_64/segments.h"
#include "lib/base/atomic.h"

namespace hiillos::arch {

inline constexpr uint32_t kMaxCpus = 64;

struct FaultProbe;  // fault_probe.h

struct PerCpu {
  PerCpu* self;                   // %gs:0, so CurrentCpu() is one load
  uint64_t kernel_stack_top;      // %gs:8: RSP the SYSCALL entry switches to (also TSS.RSP0)
  uint64_t user_rsp_scratch;      // %gs:16: SYSCALL entry parks the user RSP here
  void* current_thread;           // %gs:24: the scheduler's current thread (nullptr until then)
  uint32_t index;                 // 0 = boot CPU, dense numbering in MADT order
  uint32_t lapic_id;              // the local APIC ID of this CPU
  Atomic<FaultProbe*> probe;      // innermost active fault probe on this CPU (fault_probe.h)
  Tss* tss;                       // this CPU's TSS (IST pointers, RSP0)
  uint32_t ist_depth[kIstCount];  // nesting of handlers on each IST stack (interrupt_dispatch.cc)
  Atomic<bool> initialized;       // PerCpuInstall done (release); read by other CPUs (acquire)
  // NMIs this CPU raises at itself on purpose (tests of the NMI entry): each one arriving while
  // this is non-zero is counted down and ignored instead of being fatal (interrupt_dispatch.cc).
  Atomic<uint32_t> expected_nmis;
  // Test hook (UserMode::RefuseNextEntryForTest): the next EnterUserMode here builds a frame
  // IRETQ refuses.
  Atomic<bool> refuse_next_user_entry;
  // The open interrupts-off stretch (irq_off.h): TSC at its start (0: none open) and where it
  // started. Here rather than in IrqOffCpu so that the stamps on every kernel entry and exit
  // reach them with one GS-relative load. Own CPU only.
  uint64_t irq_off_since;
  uint64_t irq_off_where;
  // The page-table root this CPU has loaded (AddressSpaceControl::Activate publishes it before
  // the CR3 write) and, only during that switch, the root it is leaving (its translations may
  // still be used until the write). Written by this CPU, read by any CPU that shoots down user
  // translations (tlb.h: ShootdownUserRange). 0: none published yet.
  Atomic<uint64_t> active_root;
  Atomic<uint64_t> leaving_root;
};
// Offsets used from assembly (SYSCALL entry): keep in sync.
inline constexpr size_t kPerCpuSelfOffset = 0;
inline constexpr size_t kPerCpuKernelStackOffset = 8;
inline constexpr size_t kPerCpuUserRspOffset = 16;
inline constexpr size_t kPerCpuCurrentThreadOffset = 24;
static_assert(offsetof(PerCpu, self) == kPerCpuSelfOffset);
static_assert(offsetof(PerCpu, kernel_stack_top) == kPerCpuKernelStackOffset);
static_assert(offsetof(PerCpu, user_rsp_scratch) == kPerCpuUserRspOffset);
static_assert(offsetof(PerCpu, current_thread) == kPerCpuCurrentThreadOffset);
// The Atomic<T> fields are laid out exactly as the plain values they wrap, so the record keeps
// its layout (and the offsets above) whatever fields become atomic.
static_assert(sizeof(Atomic<FaultProbe*>) == sizeof(FaultProbe*) &&
              alignof(Atomic<FaultProbe*>) == alignof(FaultProbe*));
static_assert(sizeof(Atomic<bool>) == sizeof(bool) && alignof(Atomic<bool>) == alignof(bool));
static_assert(offsetof(PerCpu, probe) == 40 && offsetof(PerCpu, tss) == 48);

// The static record for CPU `index` (< kMaxCpus), initialised or not.
PerCpu& PerCpuRecord(uint32_t index);

// Fills the record for `index` and points IA32_GS_BASE at it (IA32_KERNEL_GS_BASE = 0, the
// user's GS). Must run after the GDT load (loading a GS selector clears the GS base). Part of
// PerCpuInit (cpu_init.h); exposed for it only.
PerCpu& PerCpuInstall(uint32_t index, uint32_t lapic_id, Tss* tss);

// The calling CPU's record. Only valid once PerCpuInit ran on this CPU (one %gs load).
inline PerCpu* CurrentCpu() {
  PerCpu* cpu;
  asm volatile("movq %%gs:0, %0" : "=r"(cpu));
  return cpu;
}

// Like CurrentCpu(), but safe anywhere: before PerCpuInit, with a foreign GS base, inside fault
// handlers. Reads IA32_GS_BASE (RDMSR, slow) and returns nullptr unless it points at an
// initialised PerCpu record.
PerCpu* CurrentCpuIfReady();

// Number of CPUs that completed PerCpuInstall.
uint32_t OnlineCpuCount();

}  // namespace hiillos::arch
