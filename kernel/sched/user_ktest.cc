// kernel/sched/user_ktest.cc — in-kernel tests of user threads: ring-3 entry, faults killing
// only the faulting thread, stop/registers/start, kill, FPU and FS-base state across
// preemption, and memory returned afterwards. The user programs are a few hand-assembled bytes.
#include "kernel/arch/user_mode.h"
#include "kernel/mm/object_allocator.h"
#include "kernel/mm/pmm.h"
#include "kernel/object/frame.h"
#include "kernel/object/memory.h"
#include "kernel/object/process.h"
#include "kernel/object/vmem.h"
#include "kernel/sched/testing/sched_test_util.h"
#include "kernel/test/ktest.h"

namespace hiillos::sched {
namespace {

using object::Frame;
using object::Memory;
using object::Process;
using object::Ref;
using object::Thread;
using object::Vmem;
using testing::EnsurePreemption;
using testing::Join;
using testing::kMillisecond;
using testing::Now;
using testing::WaitFor;

constexpr uint64_t kCodeBase = 0x40'0000;
constexpr uint64_t kStackBase = 0x80'0000;
constexpr uint64_t kDataBase = 0x90'0000;
constexpr uint64_t kKernelAddress = 0xffff'8000'0000'1000ull;

// Entry points in the code page.
constexpr uint64_t kUd2 = kCodeBase + 0x00;       // ud2                       -> #UD
constexpr uint64_t kStoreRbx = kCodeBase + 0x10;  // mov %rax, (%rbx)          -> #PF
constexpr uint64_t kDivide = kCodeBase + 0x20;    // div %rcx (rcx = 0)        -> #DE
constexpr uint64_t kSpin = kCodeBase + 0x30;      // jmp .
constexpr uint64_t kXmmLoop = kCodeBase + 0x40;   // xmm0 = rax; ud2 once it differs
constexpr uint64_t kFsLoop = kCodeBase + 0x60;    // ud2 once %fs:0 != rax

void WriteCode(uint8_t* page) {
  const uint8_t ud2[] = {0x0f, 0x0b};
  const uint8_t store[] = {0x48, 0x89, 0x03, 0x0f, 0x0b};
  const uint8_t divide[] = {0x48, 0xf7, 0xf1, 0x0f, 0x0b};
  const uint8_t spin[] = {0xeb, 0xfe};
  const uint8_t xmm_loop[] = {
      0x66, 0x48, 0x0f, 0x6e, 0xc0,  // movq %rax, %xmm0
      0x66, 0x48, 0x0f, 0x7e, 0xc3,  // 1: movq %xmm0, %rbx
      0x48, 0x39, 0xc3,              // cmp %rax, %rbx
      0x75, 0x02,                    // jne 2f
      0xeb, 0xf4,                    // jmp 1b
      0x0f, 0x0b,                    // 2: ud2
  };
  const uint8_t fs_loop[] = {
      0x64, 0x48, 0x8b, 0x1c, 0x25, 0, 0, 0, 0,  // 1: mov %fs:0, %rbx
      0x48, 0x39, 0xc3,                          // cmp %rax, %rbx
      0x75, 0x02,                                // jne 2f
      0xeb, 0xf0,                                // jmp 1b
      0x0f, 0x0b,                                // 2: ud2
  };
  __builtin_memcpy(page + (kUd2 - kCodeBase), ud2, sizeof(ud2));
  __builtin_memcpy(page + (kStoreRbx - kCodeBase), store, sizeof(store));
  __builtin_memcpy(page + (kDivide - kCodeBase), divide, sizeof(divide));
  __builtin_memcpy(page + (kSpin - kCodeBase), spin, sizeof(spin));
  __builtin_memcpy(page + (kXmmLoop - kCodeBase), xmm_loop, sizeof(xmm_loop));
  __builtin_memcpy(page + (kFsLoop - kCodeBase), fs_loop, sizeof(fs_loop));
}

// A process with the code page (R-X), a stack page and a data page (RW-).
struct UserSpace {
  Ref<Memory> memory;
  Ref<Frame> data;
  Ref<Process> process;
  bool ok = false;
};

UserSpace MakeUserSpace() {
  UserSpace space;
  auto memory = Memory::Create(8ull << 20);
  if (!memory.ok()) return space;
  space.memory = memory.value();
  auto vmem = Vmem::Create(space.memory);
  auto code = Frame::Create(space.memory, 0);
  auto stack = Frame::Create(space.memory, 0);
  auto data = Frame::Create(space.memory, 0);
  if (!vmem.ok() || !code.ok() || !stack.ok() || !data.ok()) return space;
  WriteCode(static_cast<uint8_t*>(code.value()->KernelPointer()));
  Ref<Vmem> space_vmem = vmem.value();
  if (!object::MapForKernel(*space_vmem, code.value(), kCodeBase,
                            uapi::kMapRead | uapi::kMapExecute, space.memory)
           .ok() ||
      !object::MapForKernel(*space_vmem, stack.value(), kStackBase,
                            uapi::kMapRead | uapi::kMapWrite, space.memory)
           .ok() ||
      !object::MapForKernel(*space_vmem, data.value(), kDataBase, uapi::kMapRead | uapi::kMapWrite,
                            space.memory)
           .ok()) {
    return space;
  }
  space.data = data.value();
  auto process = Process::Create(space.memory, space_vmem);
  if (!process.ok()) return space;
  space.process = process.value();
  space.ok = true;
  return space;
}

uapi::ThreadRegs RegsAt(uint64_t rip) {
  uapi::ThreadRegs regs{};
  regs.rip = rip;
  regs.rsp = kStackBase + 0x1000;
  regs.rflags = 0x202;
  return regs;
}

// A started user thread of `space` at `regs` (null on failure).
Ref<Thread> StartUser(UserSpace& space, const uapi::ThreadRegs& regs, uint64_t affinity = 0) {
  auto thread = Thread::Create(space.process);
  if (!thread.ok()) return nullptr;
  if (!thread.value()->SetRegs(regs).ok() || !thread.value()->SetAffinity(affinity).ok() ||
      !thread.value()->Start().ok()) {
    return nullptr;
  }
  return thread.value();
}

bool ExitedWith(const uapi::ThreadExit& exit, uapi::ExitReason reason, uint64_t code,
                uint64_t address) {
  return exit.reason == reason && exit.code == code && exit.fault_addr == address;
}

// Lets other threads run for `ns` (main competes on CPU 0 like any thread).
void Pass(uint64_t ns) {
  uint64_t end = Now() + ns;
  while (Now() < end) Yield();
}

KTEST(user, faults_report_vector_and_address) {
  EnsurePreemption();
  UserSpace space = MakeUserSpace();
  KASSERT(space.ok);
  uapi::ThreadRegs store = RegsAt(kStoreRbx);
  store.rbx = kKernelAddress;
  uapi::ThreadRegs divide = RegsAt(kDivide);
  divide.rcx = 0;
  // A spinning thread keeps the process alive until all have started (on SMP the first may
  // fault before the next Start, and a dead process takes no new thread).
  Ref<Thread> anchor = StartUser(space, RegsAt(kSpin));
  Ref<Thread> ud2 = StartUser(space, RegsAt(kUd2));
  Ref<Thread> page_fault = StartUser(space, store);
  Ref<Thread> divide_error = StartUser(space, divide);
  KASSERT(anchor && ud2 && page_fault && divide_error);
  KEXPECT(ExitedWith(Join(ud2), uapi::ExitReason::kFaulted, 6, kUd2));
  KEXPECT(ExitedWith(Join(page_fault), uapi::ExitReason::kFaulted, 14, kKernelAddress));
  KEXPECT(ExitedWith(Join(divide_error), uapi::ExitReason::kFaulted, 0, kDivide));
  anchor->Kill();
  KEXPECT(ExitedWith(Join(anchor), uapi::ExitReason::kKilled, 0, 0));
  KEXPECT(space.process->dead());  // its last thread is gone
}

KTEST(user, a_fault_kills_only_the_faulting_thread) {
  EnsurePreemption();
  UserSpace space = MakeUserSpace();
  KASSERT(space.ok);
  Ref<Thread> spinner = StartUser(space, RegsAt(kSpin));
  KASSERT(spinner);
  KEXPECT(WaitFor([&] { return spinner->sched().switches_in.Load(MemoryOrder::kRelaxed) > 0; }));
  Ref<Thread> faulting = StartUser(space, RegsAt(kUd2));
  KASSERT(faulting);
  KEXPECT(ExitedWith(Join(faulting), uapi::ExitReason::kFaulted, 6, kUd2));
  Pass(30 * kMillisecond);
  KEXPECT(!spinner->fully_exited());
  KEXPECT(spinner->state() != ThreadState::kExited);
  KEXPECT(!space.process->dead());
  KEXPECT_EQ(space.process->live_threads(), 1u);
  spinner->Kill();
  KEXPECT(ExitedWith(Join(spinner), uapi::ExitReason::kKilled, 0, 0));
  KEXPECT(space.process->dead());
}

KTEST(user, stop_edit_registers_and_start_again) {
  EnsurePreemption();
  UserSpace space = MakeUserSpace();
  KASSERT(space.ok);
  uapi::ThreadRegs regs = RegsAt(kSpin);
  regs.r12 = 0x1212;
  Ref<Thread> thread = StartUser(space, regs);
  KASSERT(thread);
  uapi::ThreadRegs read{};
  KEXPECT(WaitFor([&] { return thread->sched().switches_in.Load(MemoryOrder::kRelaxed) > 0; }));
  auto busy = thread->GetRegs(&read);
  KEXPECT(!busy.ok() && busy.error() == uapi::Status::kBusy);
  KEXPECT(thread->Stop().ok());
  KEXPECT(WaitFor([&] { return thread->GetRegs(&read).ok(); }));
  KEXPECT(thread->state() == ThreadState::kStopped);
  KEXPECT_EQ(read.rip, kSpin);
  KEXPECT_EQ(read.r12, 0x1212u);
  KEXPECT_EQ(read.rsp, kStackBase + 0x1000);
  // Bad values are refused and change nothing.
  // (A kernel or non-canonical rip is taken: the thread faults on its way back, see
  // user.iret_fault_kills_the_thread.)
  uapi::ThreadRegs bad = read;
  bad.rsp = 0x0000'8000'0000'0000ull;  // first non-canonical address
  KEXPECT(!thread->SetRegs(bad).ok());
  bad = read;
  bad.fs_base = ~0ull;
  KEXPECT(!thread->SetRegs(bad).ok());
  // Resume it somewhere else: it then faults there.
  read.rip = kUd2;
  read.rflags = ~0ull;  // sanitised, not refused
  KEXPECT(thread->SetRegs(read).ok());
  uapi::ThreadRegs sanitized{};
  KEXPECT(thread->GetRegs(&sanitized).ok());
  KEXPECT_EQ(sanitized.rflags & 0x3000, 0u);  // no IOPL
  KEXPECT_EQ(sanitized.rflags & 0x200, 0x200u);
  KEXPECT(thread->Start().ok());
  KEXPECT(ExitedWith(Join(thread), uapi::ExitReason::kFaulted, 6, kUd2));
}

// An IRETQ that refuses the frame it returns with faults in ring 0 after SWAPGS; the entry must
// swap back and the thread (not the kernel) take the fault: #GP at the RIP it was going to.
KTEST(user, iret_fault_kills_the_thread) {
  EnsurePreemption();
  UserSpace space = MakeUserSpace();
  KASSERT(space.ok);
  arch::UserMode::RefuseNextEntryForTest(0);
  Ref<Thread> refused = StartUser(space, RegsAt(kSpin), /*affinity=*/1);
  KASSERT(refused);
  KEXPECT(ExitedWith(Join(refused), uapi::ExitReason::kFaulted,
                     arch::UserMode::kProtectionFaultVector, kSpin));
  KEXPECT(space.process->dead());  // it was the process's only thread
  // The CPU is fine afterwards: the next thread there runs normally.
  UserSpace other = MakeUserSpace();
  KASSERT(other.ok);
  Ref<Thread> next = StartUser(other, RegsAt(kUd2), /*affinity=*/1);
  KASSERT(next);
  KEXPECT(ExitedWith(Join(next), uapi::ExitReason::kFaulted, 6, kUd2));
}

KTEST(user, start_stop_errors) {
  UserSpace space = MakeUserSpace();
  KASSERT(space.ok);
  Ref<Thread> thread = StartUser(space, RegsAt(kSpin));
  KASSERT(thread);
  auto again = thread->Start();
  KEXPECT(!again.ok() && again.error() == uapi::Status::kBusy);
  uapi::ThreadRegs regs = RegsAt(kSpin);
  auto running_set = thread->SetRegs(regs);
  KEXPECT(!running_set.ok() && running_set.error() == uapi::Status::kBusy);
  thread->Kill();
  KEXPECT(ExitedWith(Join(thread), uapi::ExitReason::kKilled, 0, 0));
  KEXPECT(!thread->Stop().ok());
  KEXPECT(!thread->Start().ok());
  Ref<Thread> kernel = Thread::CreateKernel(
                           "k", [](void*) {}, nullptr)
                           .value();
  KEXPECT(!kernel->Stop().ok());
  KEXPECT(!kernel->GetRegs(&regs).ok());
  KEXPECT(!Thread::Create(nullptr).ok());
  kernel->Kill();
  Join(kernel);
}

KTEST(user, fpu_and_fs_base_survive_preemption) {
  EnsurePreemption();
  UserSpace space = MakeUserSpace();
  KASSERT(space.ok);
  auto* words = static_cast<uint64_t*>(space.data->KernelPointer());
  constexpr int kEach = 3;
  Ref<Thread> threads[2 * kEach];
  for (int i = 0; i < kEach; ++i) {
    // Same CPU as main, so they all take turns on one FPU.
    uapi::ThreadRegs xmm = RegsAt(kXmmLoop);
    xmm.rax = 0x1111'0000'0000'0000ull + i;
    threads[i] = StartUser(space, xmm, 1);
    words[i * 8] = 0x2222'0000'0000'0000ull + i;
    uapi::ThreadRegs fs = RegsAt(kFsLoop);
    fs.rax = words[i * 8];
    fs.fs_base = kDataBase + i * 64;
    threads[kEach + i] = StartUser(space, fs, 1);
  }
  for (auto& thread : threads) KASSERT(thread);
  // Until every thread was switched in twice (so each was preempted while its XMM or FS state
  // was live), however slowly the host runs the guest; the bound only ends a broken run.
  auto each_switched_in_twice = [&] {
    for (auto& thread : threads) {
      if (thread->sched().switches_in.Load(MemoryOrder::kRelaxed) < 2) return false;
    }
    return true;
  };
  KEXPECT(WaitFor(each_switched_in_twice, 60'000 * kMillisecond));
  for (auto& thread : threads) KEXPECT(thread->state() != ThreadState::kExited);
  for (auto& thread : threads) thread->Kill();
  for (auto& thread : threads) {
    KEXPECT(ExitedWith(Join(thread), uapi::ExitReason::kKilled, 0, 0));
  }
}

KTEST(user, dropping_a_stopped_thread_ends_its_process) {
  EnsurePreemption();
  UserSpace space = MakeUserSpace();
  KASSERT(space.ok);
  uint64_t live = LiveThreadCount();
  Ref<Thread> thread = StartUser(space, RegsAt(kSpin));
  KASSERT(thread);
  KEXPECT_EQ(LiveThreadCount(), live + 1);
  KEXPECT(thread->Stop().ok());
  KEXPECT(WaitFor([&] { return thread->state() == ThreadState::kStopped; }));
  // Stopped threads still count: the process lives on.
  KEXPECT(!space.process->dead());
  KEXPECT_EQ(space.process->live_threads(), 1u);
  // Let the reaper drop the scheduler's reference, then drop the last one.
  KEXPECT(WaitFor([&] { return thread->RefCountForTesting() == 1; }));
  thread.reset();
  KEXPECT(space.process->dead());
  KEXPECT_EQ(LiveThreadCount(), live);
}

KTEST(user, user_threads_return_their_memory) {
  EnsurePreemption();
  {  // warm-up: slabs and kernel page tables that stay
    UserSpace space = MakeUserSpace();
    KASSERT(space.ok);
    Join(StartUser(space, RegsAt(kUd2)));
  }
  uint64_t free_pages = mm::GetPmmStats().free_pages;
  uint64_t objects = mm::GetObjectAllocatorStats().live_objects;
  uint64_t live = LiveThreadCount();
  for (int round = 0; round < 4; ++round) {
    UserSpace space = MakeUserSpace();
    KASSERT(space.ok);
    // The spinner first: a process whose only thread has died takes no new one (kDead), and on
    // SMP the faulting thread may die before the next Start.
    Ref<Thread> killed = StartUser(space, RegsAt(kSpin));
    Ref<Thread> faulting = StartUser(space, RegsAt(kUd2));
    KASSERT(faulting && killed);
    Join(faulting);
    killed->Kill();
    Join(killed);
  }
  KEXPECT_EQ(mm::GetPmmStats().free_pages, free_pages);
  KEXPECT_EQ(mm::GetObjectAllocatorStats().live_objects, objects);
  KEXPECT_EQ(LiveThreadCount(), live);
}

}  // namespace
}  // namespace hiillos::sched
