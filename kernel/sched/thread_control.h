// kernel/sched/thread_control.h — internal to kernel/sched and kernel/object/thread.cc: the
// scheduler side of every Thread operation (thread.h documents the behaviour and errors).
#pragma once

#include <stdint.h>

#include "kernel/arch/trap_frame.h"
#include "lib/base/result.h"
#include "uapi/status.h"
#include "uapi/syscalls.h"

namespace hiillos::sched {
class Thread;  // thread.h
}

namespace hiillos::sched::internal {

// One more reference to `thread` (the caller holds one), and dropping one (destroying the
// thread if it was the last: thread context, no spinlock held).
void RetainThreadReference(Thread* thread);
void ReleaseThreadReference(Thread* thread);

Result<void, uapi::Status> StartThread(Thread& thread);
Result<void, uapi::Status> StopThread(Thread& thread);
void KillThread(Thread& thread);
void SetThreadPriority(Thread& thread, unsigned priority);
Result<void, uapi::Status> SetThreadAffinity(Thread& thread, uint64_t cpu_mask);
Result<void, uapi::Status> GetThreadRegs(Thread& thread, uapi::ThreadRegs* out);
Result<void, uapi::Status> SetThreadRegs(Thread& thread, const uapi::ThreadRegs& in);
Result<uapi::ThreadExit, uapi::Status> WaitThread(Thread& thread);
[[noreturn]] void ExitCurrent(const uapi::ThreadExit& record);
// Thread::Destroy: the thread's last reference is gone (it is new, stopped or exited).
void ForgetThread(Thread& thread);

// user_thread.cc: the user-mode boundary.
// First entry of a user thread (interrupts off): applies a pending stop/kill, else IRETQ to
// its registers.
[[noreturn]] void EnterUserFromRegs();
// A timer tick from ring 3 on the current thread: if a kill or stop is pending, rewrites
// `frame` to carry it out in thread context and returns true.
bool ApplyUserBoundaryWork(arch::InterruptFrame& frame);

}  // namespace hiillos::sched::internal
