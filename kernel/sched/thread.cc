// kernel/sched/thread.cc — sched::Thread: construction, snapshots, the current thread, and the
// threads the scheduler owns itself.
#include "kernel/sched/thread.h"

#include "kernel/arch/cpu_local.h"
#include "kernel/arch/thread_context.h"
#include "kernel/arch/user_mode.h"
#include "kernel/mm/object_allocator.h"
#include "kernel/sched/cpu_sched.h"
#include "lib/base/atomic.h"
#include "lib/base/placement_new.h"

namespace hiillos::sched {
namespace {

Atomic<uint32_t> g_next_detached_id{0x8000'0000};  // object::Thread ids count from 1

void Ignore(Thread&) {}
bool NoGroupToJoin(Thread&) {
  return true;
}
uint64_t NoGroup(const Thread&) {
  return 0;
}
constexpr ThreadOwner kSchedulerOwned = {Ignore, Ignore, NoGroupToJoin, Ignore, NoGroup};

}  // namespace

Thread::Thread(uint32_t id, const ThreadOwner* owner, void* owner_context, KernelStack stack)
    : id_(id), owner_(owner), owner_context_(owner_context) {
  sched_.stack = stack;
  sched_.link.thread = this;
  sched_.reap_link.thread = this;
  sched_.user_regs.rflags = arch::UserMode::kInitialFlags;
  arch::ThreadContext::ResetUserState(&sched_.user_state);
  // New threads start on the CPU that creates them (StartThread picks the least loaded one).
  uint32_t cpu = arch::CpuIndexIfReady();
  sched_.cpu.Store(cpu != arch::kNoCpu ? cpu : 0, MemoryOrder::kRelaxed);
}

void Thread::SetName(const char* name) {
  size_t i = 0;
  for (; name != nullptr && name[i] != '\0' && i + 1 < kNameLength; ++i) name_[i] = name[i];
  name_[i] = '\0';
}

ThreadState Thread::state() const {
  return sched_.state.Load(MemoryOrder::kRelaxed);
}

unsigned Thread::priority() const {
  return sched_.priority.Load(MemoryOrder::kRelaxed);
}

uint64_t Thread::affinity() const {
  return sched_.affinity.Load(MemoryOrder::kRelaxed);
}

bool Thread::fully_exited() const {
  return released_.Load(MemoryOrder::kAcquire);
}

Result<Thread*, uapi::Status> CreateDetachedKernelThread(const char* name,
                                                         Thread::KernelEntry entry, void* arg) {
  auto stack = AllocateKernelStack();
  if (!stack.ok()) return Err{uapi::Status::kOutOfMemory};
  auto memory = mm::ObjectAlloc(sizeof(Thread));
  if (!memory.ok()) {
    FreeKernelStack(stack.value());
    return Err{uapi::Status::kOutOfMemory};
  }
  uint32_t id = g_next_detached_id.FetchAdd(1, MemoryOrder::kRelaxed);
  auto* thread = new (memory.value()) Thread(id, &kSchedulerOwned, nullptr, stack.value());
  thread->SetName(name);
  thread->SetKernelEntry(entry, arg);
  return thread;
}

namespace internal {

Result<Thread*, uapi::Status> AllocateIdleThread(uint32_t cpu) {
  auto memory = mm::ObjectAlloc(sizeof(Thread));
  if (!memory.ok()) return Err{uapi::Status::kOutOfMemory};
  uint32_t id = g_next_detached_id.FetchAdd(1, MemoryOrder::kRelaxed);
  auto* thread = new (memory.value()) Thread(id, &kSchedulerOwned, nullptr, KernelStack{});
  char name[Thread::kNameLength] = "idle/";
  name[5] = static_cast<char>('0' + cpu / 10 % 10);
  name[6] = static_cast<char>('0' + cpu % 10);
  thread->SetName(name);
  return thread;
}

}  // namespace internal
}  // namespace hiillos::sched
