// kernel/object/thread.cc — Thread: creation, destruction and the operations SYSCALL calls
// (the scheduling side lives in kernel/sched/thread_control.cc).
#include "kernel/object/thread.h"

#include "kernel/mm/object_allocator.h"
#include "kernel/object/process.h"
#include "kernel/sched/kernel_stack.h"
#include "kernel/sched/thread_control.h"
#include "lib/base/atomic.h"
#include "lib/base/placement_new.h"

namespace hiillos::object {
namespace {

Atomic<uint32_t> g_next_id{1};

}  // namespace

const uint64_t Thread::kMemoryCost = sizeof(Thread) + sched::kKernelStackSize;

// The scheduler's view of a Thread's owner: its reference count and its process.
const sched::ThreadOwner Thread::kOwnerHooks = {
    .retain =
        [](sched::Thread& core) {
          Thread* owned = Ref<Thread>::Retain(&FromCore(core)).Leak();
          (void)owned;
        },
    .release = [](sched::Thread& core) { Ref<Thread> dropped = AdoptRef(&FromCore(core)); },
    .started =
        [](sched::Thread& core) {
          Process* process = FromCore(core).process_or_null();
          return process == nullptr || process->ThreadStarted();
        },
    .exited =
        [](sched::Thread& core) {
          if (Process* process = FromCore(core).process_or_null()) process->ThreadExited();
        },
    .group_id =
        [](const sched::Thread& core) {
          Process* process = static_cast<const Thread*>(core.owner())->process_or_null();
          return process != nullptr ? process->id() : uint64_t{0};
        },
};

Thread::Thread(uint32_t id, Ref<Process> process, sched::KernelStack stack)
    : KernelObject(kObjectType), process_(Move(process)), core_(id, &kOwnerHooks, this, stack) {
  process_link_.thread = this;
}

Thread::~Thread() = default;

Result<Thread*, uapi::Status> Thread::Allocate(Ref<Process> process) {
  auto stack = sched::AllocateKernelStack();
  if (!stack.ok()) return Err{uapi::Status::kOutOfMemory};
  auto memory = mm::ObjectAlloc(sizeof(Thread));
  if (!memory.ok()) {
    sched::FreeKernelStack(stack.value());
    return Err{uapi::Status::kOutOfMemory};
  }
  uint32_t id = g_next_id.FetchAdd(1, MemoryOrder::kRelaxed);
  return new (memory.value()) Thread(id, Move(process), stack.value());
}

Result<Ref<Thread>, uapi::Status> Thread::Create(Ref<Process> process) {
  if (!process) return Err{uapi::Status::kInvalidArgument};
  uint64_t cr3 = process->page_table_root();
  unsigned max_priority = process->max_priority();
  Thread* thread = TRY(Allocate(Move(process)));
  thread->core_.MakeUser(cr3);
  Ref<Thread> ref = AdoptRef(thread);
  // Not visible to anyone yet: no lock needed. Never above what its process may use.
  if (max_priority < uapi::kDefaultPriority) {
    thread->core_.sched().priority.Store(static_cast<uint8_t>(max_priority), MemoryOrder::kRelaxed);
  }
  thread->core_.SetName("user");
  // Listed last (Process::Kill may reach it from then on). A killed or dead process gets no new
  // thread: dropping `ref` destroys this one unlisted.
  if (auto listed = thread->process_->AddThread(thread->process_link_); !listed.ok()) {
    return Err{listed.error()};
  }
  return ref;
}

Result<Ref<Thread>, uapi::Status> Thread::CreateKernel(const char* name, KernelEntry entry,
                                                       void* arg) {
  if (entry == nullptr) return Err{uapi::Status::kInvalidArgument};
  Thread* thread = TRY(Allocate(nullptr));
  thread->core_.SetKernelEntry(entry, arg);
  thread->core_.SetName(name != nullptr ? name : "kernel");
  return AdoptRef(thread);
}

void Thread::Destroy(Thread* thread) {
  // No reference is left, so the thread is new, stopped or exited and released: no CPU runs
  // it and no queue holds it. A started thread that only stopped still counted as live.
  sched::internal::ForgetThread(thread->core_);
  if (thread->process_) thread->process_->RemoveThread(thread->process_link_);
  if (thread->core_.counted_live()) {
    thread->core_.clear_counted_live();
    thread->process_->ThreadExited();
  }
  sched::FreeKernelStack(thread->core_.sched().stack);
  thread->~Thread();
  mm::ObjectFree(thread, sizeof(Thread));
}

Result<void, uapi::Status> Thread::GetRegs(uapi::ThreadRegs* out) {
  return sched::internal::GetThreadRegs(core_, out);
}

Result<void, uapi::Status> Thread::SetRegs(const uapi::ThreadRegs& in) {
  return sched::internal::SetThreadRegs(core_, in);
}

Result<void, uapi::Status> Thread::Start() {
  return sched::internal::StartThread(core_);
}

Result<void, uapi::Status> Thread::Stop() {
  return sched::internal::StopThread(core_);
}

void Thread::SetPriority(Priority priority) {
  sched::internal::SetThreadPriority(core_, static_cast<unsigned>(priority.value()));
}

Result<void, uapi::Status> Thread::SetAffinity(uint64_t cpu_mask) {
  return sched::internal::SetThreadAffinity(core_, cpu_mask);
}

Result<uapi::ThreadExit, uapi::Status> Thread::Wait() {
  return sched::internal::WaitThread(core_);
}

void KillProcess(Process& process) {
  if (!process.MarkKilled()) return;
  constexpr size_t kBatch = 8;
  for (;;) {
    Ref<KernelObject> batch[kBatch];
    const size_t taken = process.TakeThreadsToKill(batch, kBatch);
    if (taken == 0) break;
    for (size_t i = 0; i < taken; ++i) static_cast<Thread*>(batch[i].get())->Kill();
    // The references drop here, outside the lock (possibly destroying threads).
  }
  process.DieIfNoThreads();
}

void Thread::Kill() {
  sched::internal::KillThread(core_);
  // A thread asleep in IPC would only die once its call completed: end the wait (it then
  // returns kDead from its syscall and dies on the way back to user mode).
  ipc::CancelWait(ipc_);
}

void ExitCurrentThread(uapi::ExitReason reason, uint64_t code, uint64_t addr) {
  sched::internal::ExitCurrent({reason, code, addr});
}

}  // namespace hiillos::object
