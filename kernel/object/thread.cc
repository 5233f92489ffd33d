// kernel/object/thread.cc — Thread: creation, destruction and the operations SYSCALL calls
// (the scheduling side lives in kernel/sched/thread_control.cc).
#include "kernel/object/thread.h"

#include "kernel/arch/cpu_local.h"
#include "kernel/arch/thread_context.h"
#include "kernel/arch/user_mode.h"
#include "kernel/mm/object_allocator.h"
#include "kernel/object/process.h"
#include "kernel/sched/cpu_sched.h"
#include "kernel/sched/kernel_stack.h"
#include "kernel/sched/thread_control.h"
#include "lib/base/placement_new.h"

namespace hiillos::object {
namespace {

uint32_t g_next_id = 1;  // atomic

void CopyName(char* out, const char* name) {
  size_t i = 0;
  for (; name[i] != '\0' && i + 1 < Thread::kNameLength; ++i) out[i] = name[i];
  out[i] = '\0';
}

}  // namespace

const uint64_t Thread::kMemoryCost = sizeof(Thread) + sched::kKernelStackSize;

Thread::Thread(uint32_t id, Ref<Process> process)
    : KernelObject(kObjectType), id_(id), process_(Move(process)) {}

Thread::~Thread() = default;

Result<Thread*, uapi::Status> Thread::Allocate(Ref<Process> process, bool with_stack) {
  sched::KernelStack stack;
  if (with_stack) {
    auto allocated = sched::AllocateKernelStack();
    if (!allocated.ok()) return Err{uapi::Status::kOutOfMemory};
    stack = allocated.value();
  }
  auto memory = mm::ObjectAlloc(sizeof(Thread));
  if (!memory.ok()) {
    sched::FreeKernelStack(stack);
    return Err{uapi::Status::kOutOfMemory};
  }
  uint32_t id = __atomic_fetch_add(&g_next_id, 1, __ATOMIC_RELAXED);
  auto* thread = new (memory.value()) Thread(id, Move(process));
  sched::ThreadSched& sched = thread->sched_;
  sched.stack = stack;
  sched.link.thread = thread;
  sched.reap_link.thread = thread;
  sched.user_regs.rflags = arch::UserMode::kInitialFlags;
  arch::ThreadContext::ResetUserState(&sched.user_state);
  // New threads start on the CPU that creates them (Start() picks the least loaded one).
  uint32_t cpu = arch::CpuIndexIfReady();
  sched.cpu = cpu != arch::kNoCpu ? cpu : 0;
  return thread;
}

Result<Ref<Thread>, uapi::Status> Thread::Create(Ref<Process> process) {
  if (!process) return Err{uapi::Status::kInvalidArgument};
  uint64_t cr3 = process->page_table_root();
  Thread* thread = TRY(Allocate(Move(process), true));
  thread->sched_.user = true;
  thread->sched_.cr3 = cr3;
  CopyName(thread->name_, "user");
  return AdoptRef(thread);
}

Result<Ref<Thread>, uapi::Status> Thread::CreateKernel(const char* name, KernelEntry entry,
                                                       void* arg) {
  if (entry == nullptr) return Err{uapi::Status::kInvalidArgument};
  Thread* thread = TRY(Allocate(nullptr, true));
  thread->kernel_entry_ = entry;
  thread->kernel_arg_ = arg;
  CopyName(thread->name_, name != nullptr ? name : "kernel");
  return AdoptRef(thread);
}

void Thread::Destroy(Thread* thread) {
  // No reference is left, so the thread is new, stopped or exited and released: no CPU runs
  // it and no queue holds it. A started thread that only stopped still counted as live.
  sched::internal::ForgetThread(*thread);
  if (thread->counted_live_) {
    thread->counted_live_ = false;
    thread->process_->ThreadExited();
  }
  sched::FreeKernelStack(thread->sched_.stack);
  thread->~Thread();
  mm::ObjectFree(thread, sizeof(Thread));
}

Result<void, uapi::Status> Thread::GetRegs(uapi::ThreadRegs* out) {
  return sched::internal::GetThreadRegs(*this, out);
}

Result<void, uapi::Status> Thread::SetRegs(const uapi::ThreadRegs& in) {
  return sched::internal::SetThreadRegs(*this, in);
}

Result<void, uapi::Status> Thread::Start() {
  return sched::internal::StartThread(*this);
}

Result<void, uapi::Status> Thread::Stop() {
  return sched::internal::StopThread(*this);
}

Result<void, uapi::Status> Thread::SetPriority(unsigned priority) {
  if (priority > uapi::kMaxPriority) return Err{uapi::Status::kInvalidArgument};
  sched::internal::SetThreadPriority(*this, priority);
  return Ok<uapi::Status>();
}

Result<void, uapi::Status> Thread::SetAffinity(uint64_t cpu_mask) {
  return sched::internal::SetThreadAffinity(*this, cpu_mask);
}

Result<uapi::ThreadExit, uapi::Status> Thread::Wait() {
  return sched::internal::WaitThread(*this);
}

void Thread::Kill() {
  sched::internal::KillThread(*this);
}

sched::ThreadState Thread::state() const {
  static_assert(sizeof(sched::ThreadState) == sizeof(uint8_t));
  return static_cast<sched::ThreadState>(
      __atomic_load_n(reinterpret_cast<const uint8_t*>(&sched_.state), __ATOMIC_RELAXED));
}

unsigned Thread::priority() const {
  return __atomic_load_n(&sched_.priority, __ATOMIC_RELAXED);
}

uint64_t Thread::affinity() const {
  return __atomic_load_n(&sched_.affinity, __ATOMIC_RELAXED);
}

bool Thread::fully_exited() const {
  return __atomic_load_n(&released_, __ATOMIC_ACQUIRE);
}

Thread* CurrentThread() {
  // Per-CPU data (GS) is valid once the scheduler is: the boot CPU set it up in stage 3, and
  // APs run kernel code only after theirs.
  if (!sched::internal::Initialized()) return nullptr;
  // One per-CPU load, so a preemption cannot slip in between finding this CPU's record and
  // reading its current thread.
  return static_cast<Thread*>(arch::CurrentThreadSlot());
}

void ExitCurrentThread(uapi::ExitReason reason, uint64_t code, uint64_t addr) {
  sched::internal::ExitCurrent({reason, code, addr});
}

}  // namespace hiillos::object
