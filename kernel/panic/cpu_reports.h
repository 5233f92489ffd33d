// kernel/panic/cpu_reports.h — the other CPUs' reports in a panic: where the panic's NMI found
// each of them (RIP with symbol, user/kernel, IF, current thread) and its kernel backtrace.
//
// Protocol (all waits are bounded by spin counts, not time: the clock may be what broke):
//   1. The panicking CPU NMIs every other online CPU (panic::SetHaltOtherCpusHook).
//   2. Each NMI'd CPU parks in its NMI handler (ParkReportAndHalt): it publishes "parked" in its
//      slot and spins until it is asked for its report or the reports are over.
//   3. After its own dump the panicking CPU asks the CPUs one at a time (ReportOtherCpus): it
//      waits up to kParkSpins for the CPU to park ("cpuN: no answer to the report NMI" if it
//      never does), asks it, and waits for it to finish printing before asking the next one, so
//      reports never interleave (giving up only when the report stops making progress for
//      kStallSpins). Then the parked CPUs halt.
//
// Ownership: one slot per CPU index, written by that CPU (parked, done) and by the panicking
// CPU (asked); no locks, nothing allocated. Runs only inside a panic.
#pragma once

#include <stdint.h>

#include "kernel/arch/trap_frame.h"
#include "lib/format/format.h"

namespace hiillos::panic {

// Writes the current thread of this CPU (e.g. `thread main (id 3)`), no newline; installed by
// the scheduler. Must take no lock (runs in an NMI handler).
using ThreadWriter = void (*)(format::Sink sink, void* context);
void SetCurrentThreadWriter(ThreadWriter writer);

// The panicking CPU `self` (after HaltOtherCpus sent the NMIs): collects every other online
// CPU's report, one at a time, on `sink`, then lets them halt.
void ReportOtherCpus(uint32_t self, format::Sink sink, void* context);

// A CPU that took the panic's NMI: parks, prints its report of `interrupted` when asked, halts.
[[noreturn]] void ParkReportAndHalt(const arch::InterruptFrame& interrupted, format::Sink sink,
                                    void* context);

}  // namespace hiillos::panic
