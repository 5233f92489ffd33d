// kernel/arch/x86_64/idle_time.h — per-CPU idle-time accounting in TSC ticks (the idle loop's
// HLT waits) for the arch::IdleTime interface (kernel/arch/idle_time.h).
//
// A wait starts with a TSC stamp right before STI;HLT and ends at the first of: the external
// interrupt or IPI that woke the CPU (InterruptDispatch stamps it before running the handler,
// so the handler's instructions are busy time), or the return from HLT (an NMI, which skips
// the interrupt stamp). Between the stamps only the few instructions of the stamp itself,
// STI;HLT and the interrupt entry up to InterruptDispatch run: a few tens of instructions per
// wait counted as idle. Under QEMU `-icount` the rest of the span is the virtual time QEMU
// skipped while every vCPU halted, so TSC delta minus idle delta is executed instructions × 128.
#pragma once

#include <stdint.h>

#include "kernel/arch/x86_64/idle_account.h"
#include "kernel/arch/x86_64/percpu.h"
#include "lib/x86/cpu.h"

namespace hiillos::arch {

extern IdleAccount g_idle_accounts[kMaxCpus];

// With interrupts off: halts until an interrupt, accounting the wait as idle. Returns with
// interrupts off again (the interrupt has been handled).
inline void IdleWait() {
  IdleAccount& account = g_idle_accounts[CurrentCpu()->index];
  account.Begin(x86::ReadTsc());
  // STI's one-instruction shadow makes "sti; hlt" atomic: a wake-up cannot slip in between.
  asm volatile("sti; hlt; cli" ::: "memory");
  account.End(x86::ReadTsc());
}

// Interrupt entry (interrupts off): ends this CPU's wait if it was halted in IdleWait.
inline void IdleWakeStamp() {
  IdleAccount& account = g_idle_accounts[CurrentCpu()->index];
  if (account.Waiting()) account.End(x86::ReadTsc());
}

// The idle loop found a thread to run: the wake-up that ended its last wait was not empty.
inline void IdleWorkFound() {
  g_idle_accounts[CurrentCpu()->index].WorkFound();
}

// CPU `cpu`'s (< kMaxCpus) TSC ticks in wake-ups after which it halted again without running a
// thread (IdleAccount::EmptyWakes).
inline uint64_t IdleEmptyWakeTicks(uint32_t cpu) {
  return g_idle_accounts[cpu].EmptyWakes();
}

// CPU `cpu`'s (< kMaxCpus) idle TSC ticks since boot, up to `tsc` (a TSC value read by the
// caller; the TSCs of all CPUs are taken to be synchronised).
inline uint64_t IdleTicks(uint32_t cpu, uint64_t tsc) {
  return g_idle_accounts[cpu].IdleAt(tsc);
}

}  // namespace hiillos::arch
