// kernel/arch/x86_64/ipi.h — inter-processor calls: the online-CPU set, cross calls (run a
// function on other CPUs and wait), wake-up IPIs, and stopping every CPU on a panic.
//
// Ownership: the online mask is set bit by bit by each CPU itself (MarkCpuOnline) and never
// cleared. Cross calls need no lock: each *sending* CPU owns one request slot (it has at most
// one call in flight, since it waits for it with interrupts off), and each *receiving* CPU has a
// mask of senders with a request for it, set with atomic OR and taken with atomic exchange.
// While a CPU waits for its targets it serves requests sent to itself, so two CPUs calling each
// other at the same time cannot deadlock.
//
// Rules for cross-call functions: they run in interrupt context with interrupts off on the
// target; they must be short, must not take a lock, and must not start a cross call themselves.
// A CPU spinning with interrupts off (arch::Pause) serves its pending requests too (the spin-wait
// hook IpiInit installs), so a lock waiter answers its holder; callers still should not hold a
// spinlock across a cross call (docs/locking.md).
#pragma once

#include <stdint.h>

#include "lib/base/result.h"

namespace hiillos::arch {

enum class IpiError : uint8_t {
  kNotOnline,  // the target CPU index is not (yet) online
};

// Boot CPU, once, after LapicGlobalInit: installs the IPI vector handlers and the panic hook
// that NMIs every other online CPU, and marks the boot CPU online.
void IpiInit();

// The calling CPU (index `cpu_index`) takes IPIs from now on. Once per CPU.
void MarkCpuOnline(uint32_t cpu_index);
bool CpuOnline(uint32_t cpu_index);
uint64_t OnlineCpuMask();  // bit n = CPU index n
uint32_t OnlineCpus();     // number of bits in OnlineCpuMask()

// Runs fn(arg) on CPU `cpu_index` and returns when it has finished there. On the calling CPU
// itself fn runs directly (interrupts off). Panics if the target does not answer within 5 s.
Result<void, IpiError> RunOnCpu(uint32_t cpu_index, void (*fn)(void*), void* arg);
// Runs fn(arg) on every other online CPU and returns when all have finished.
void RunOnOtherCpus(void (*fn)(void*), void* arg);
// Runs fn(arg) on every online CPU in `targets` (bit n = CPU index n) other than the calling
// one and returns when all have finished; the calling CPU's bit is ignored. The caller keeps
// interrupts off around it if it must stay on one CPU while choosing `targets`.
void RunOnCpus(uint64_t targets, void (*fn)(void*), void* arg);

// A fixed IPI on kVectorWakeUp: the target leaves HLT (its handler only acknowledges).
Result<void, IpiError> WakeCpu(uint32_t cpu_index);
// Wake-up IPIs received by CPU `cpu_index` (tests).
uint64_t WakeUpsReceived(uint32_t cpu_index);

// Stops every other online CPU with an NMI (their NMI handler halts them while a panic is in
// progress). The kernel installs it as the panic hook (panic::SetHaltOtherCpusHook) once
// IpiInit ran.
void HaltOtherCpus();

}  // namespace hiillos::arch
