// kernel/sched/thread_control.h — internal to kernel/sched and kernel/object/thread.cc: the
// scheduler side of every Thread operation (thread.h documents the behaviour and errors).
#pragma once

#include <stdint.h>

#include "kernel/arch/trap_frame.h"
#include "lib/base/result.h"
#include "uapi/status.h"
#include "uapi/syscalls.h"

namespace hiillos::object {
class Thread;
}

namespace hiillos::sched::internal {

// One more reference to `thread` (the caller holds one), and dropping one (destroying the
// thread if it was the last: thread context, no spinlock held).
void RetainThreadReference(object::Thread* thread);
void ReleaseThreadReference(object::Thread* thread);

Result<void, uapi::Status> StartThread(object::Thread& thread);
Result<void, uapi::Status> StopThread(object::Thread& thread);
void KillThread(object::Thread& thread);
void SetThreadPriority(object::Thread& thread, unsigned priority);
Result<void, uapi::Status> SetThreadAffinity(object::Thread& thread, uint64_t cpu_mask);
Result<void, uapi::Status> GetThreadRegs(object::Thread& thread, uapi::ThreadRegs* out);
Result<void, uapi::Status> SetThreadRegs(object::Thread& thread, const uapi::ThreadRegs& in);
Result<uapi::ThreadExit, uapi::Status> WaitThread(object::Thread& thread);
[[noreturn]] void ExitCurrent(const uapi::ThreadExit& record);
// Thread::Destroy: the thread's last reference is gone (it is new, stopped or exited).
void ForgetThread(object::Thread& thread);

// user_thread.cc: the user-mode boundary.
// First entry of a user thread (interrupts off): applies a pending stop/kill, else IRETQ to
// its registers.
[[noreturn]] void EnterUserFromRegs();
// A timer tick from ring 3 on the current thread: if a kill or stop is pending, rewrites
// `frame` to carry it out in thread context and returns true.
bool ApplyUserBoundaryWork(arch::InterruptFrame& frame);

}  // namespace hiillos::sched::internal
