// uapi/syscalls.h — the syscall table: one X-macro list that records every call's number,
// argument kinds, value and errors. It generates the kernel's typed handler declarations and
// dispatch (kernel/syscall/syscall_table.h), the user wrappers (services/lib/syscalls.h) and is
// checked against docs/syscalls.md (//tools/syscall_reference:syscall_reference_test).
//
// ABI (x86-64, SYSCALL instruction): rax = syscall number; arguments in rdi, rsi, rdx, r10, r8,
// r9 (r10 instead of rcx, which SYSCALL overwrites); on return rax = uapi::Status and rdx = the
// call's value (a handle, a size, ...; 0 when the call has none). rcx and r11 are clobbered,
// every other register is preserved. An unknown number returns Status::kInvalidSyscall.
#pragma once

#include <stdint.h>

#include "uapi/ipc.h"
#include "uapi/object_type.h"
#include "uapi/rights.h"
#include "uapi/status.h"
#include "uapi/syscall_args.h"

namespace hiillos::uapi {

// Limits and argument layouts.
inline constexpr uint64_t kMaxLogLength = 512;
inline constexpr unsigned kMaxFrameOrder = 18;  // 1 GiB
inline constexpr unsigned kPriorityLevels = 4;  // 0 (lowest) .. 3 (highest)
inline constexpr unsigned kMaxPriority = kPriorityLevels - 1;
inline constexpr unsigned kDefaultPriority = 1;
// IoPortRange: x86 I/O ports 0 .. kIoPortCount - 1.
inline constexpr uint64_t kIoPortCount = 0x10000;

// IrqGsiBind's flags: the line's polarity (ACPI's Extended Interrupt descriptor says which; PCI
// INTx through QEMU q35's GSI links is active high). Lines bound this way are level-triggered.
inline constexpr uint64_t kIrqGsiActiveLow = 1 << 0;
inline constexpr uint64_t kIrqGsiFlags = kIrqGsiActiveLow;

// IrqMsiBind's result: what the driver programs into its device's MSI or MSI-X capability (a
// write of `data` (32 bits) to `address` raises the bound vector on the boot CPU), and the
// vector itself (informational).
struct MsiMessage {
  uint64_t address;
  uint64_t data;
  uint64_t vector;
};
static_assert(sizeof(MsiMessage) == 24);

// VmemMap flags: what the mapping allows (each also needs the matching frame right).
enum MapFlags : uint64_t {
  kMapRead = 1 << 0,
  kMapWrite = 1 << 1,  // needs Rights::kWrite on the frame; never with kMapExecute
  kMapExecute = 1 << 2,
};

struct MemoryInfo {
  uint64_t budget_bytes;  // what this Memory may still hand out
  uint64_t used_bytes;    // what is charged to it now (objects, slots, mappings, child Memories)
  uint64_t total_bytes;   // its whole budget (budget_bytes + used_bytes)
};
static_assert(sizeof(MemoryInfo) == 24);

struct FrameInfo {
  uint64_t size_bytes;
  uint64_t device_phys;  // physical address for device frames (MMIO, framebuffer), else 0
  uint64_t mapped;       // 1 while this capability's frame is mapped
};
static_assert(sizeof(FrameInfo) == 24);

// User-visible register state of a stopped thread (ThreadGetRegs / ThreadSetRegs).
struct ThreadRegs {
  uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
  uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
  uint64_t rip, rflags;
  uint64_t fs_base, gs_base;
};
static_assert(sizeof(ThreadRegs) == 20 * 8);

enum class ExitReason : uint64_t {
  kExited = 1,   // ThreadExit(code)
  kFaulted = 2,  // killed by a CPU exception in user mode (vector in `code`)
  kKilled = 3,   // its process was destroyed
};
struct ThreadExit {
  ExitReason reason;
  uint64_t code;        // ThreadExit's code, or the exception vector
  uint64_t fault_addr;  // CR2 for page faults, RIP otherwise
};
static_assert(sizeof(ThreadExit) == 24);

struct SystemInfo {
  uint64_t free_pages;  // PMM free pages
  uint64_t capability_slots_used;
  uint64_t cpus_online;
  uint64_t uptime_ns;
  uint64_t objects_live;  // kernel objects alive
  // The physical allocator's pages, one snapshot: total_pages == free_pages + kernel_pages +
  // page_table_pages + user_pages + object_pages.
  uint64_t total_pages;
  uint64_t kernel_pages;      // stacks, per-CPU data, the capability table's pages, ...
  uint64_t page_table_pages;  // paging structures
  uint64_t user_pages;        // frames
  uint64_t object_pages;      // the kernel object allocator's slabs
  uint64_t capability_pages;  // the capability table's committed pages (part of kernel_pages)
};
static_assert(sizeof(SystemInfo) == 88);

// SystemIrqOffStats: the longest stretch each CPU ran kernel code with interrupts off since
// boot or the last reset, in TSC ticks (under QEMU -icount shift=7: 128 per guest instruction),
// and where it started (docs/interrupts-off.md).
inline constexpr uint64_t kIrqOffStatsCpus = 64;
// IrqOffCpu::where, bits 63:56: what opened the stretch; bits 15:0: the syscall number or the
// interrupt vector.
inline constexpr uint64_t kIrqOffWhereSyscall = 1;    // a system call (detail: its number)
inline constexpr uint64_t kIrqOffWhereInterrupt = 2;  // an interrupt or IPI (detail: vector)
inline constexpr uint64_t kIrqOffWhereWindow = 3;     // resuming after a preemption point
struct IrqOffCpu {
  uint64_t max_ticks;
  uint64_t where;  // 0 when max_ticks is 0
};
struct IrqOffStats {
  uint64_t cpus;  // entries filled in `cpu` (CPUs 0 .. cpus - 1, online or not)
  IrqOffCpu cpu[kIrqOffStatsCpus];
};
static_assert(sizeof(IrqOffStats) == 8 + 16 * kIrqOffStatsCpus);
// SystemIrqOffStats's `reset` argument: 1 forgets every CPU's maximum after reading it.
inline constexpr uint64_t kIrqOffReset = 1;

// SystemClock: the kernel's clock (nanoseconds since boot from the cycle counter, the TSC) as
// one consistent reading, so user space can keep time without calls: at cycle count c the
// clock reads ns + (c - tsc) * 10^9 / tsc_hz (until a recalibration, which only happens during
// boot).
struct ClockInfo {
  uint64_t tsc_hz;  // cycle-counter frequency the kernel measured (HPET or PIT)
  uint64_t tsc;     // a cycle-counter value ...
  uint64_t ns;      // ... and the clock's nanoseconds since boot at it
};
static_assert(sizeof(ClockInfo) == 24);

// SystemCpuTimes: each CPU's idle time, the cycle-counter (TSC) ticks it spent halted in its
// idle loop since boot (from just before HLT to the interrupt that woke it; a wait in progress
// counts up to `tsc`), all as of one reading `tsc` (docs/syscalls.md). Busy ticks of CPU i
// between two readings a, b: (b.tsc - a.tsc) - (b.idle_ticks[i] - a.idle_ticks[i]); under QEMU
// `-icount shift=7,sleep=off` that is 128 per instruction the CPU executed.
inline constexpr uint64_t kCpuTimesCpus = 64;
struct CpuTimes {
  uint64_t tsc;          // the cycle counter when the totals were read (on the calling CPU)
  uint64_t cpus;         // entries filled in `idle_ticks` (CPUs 0 .. cpus - 1, online or not)
  uint64_t online_mask;  // bit i: CPU i is scheduling
  uint64_t idle_ticks[kCpuTimesCpus];
  // Of the busy ticks, those of "empty" wake-ups: from an interrupt that ended a wait to the
  // next halt, when the CPU ran no thread in between (a timer tick with nothing to do, say).
  // Closed wake-ups only. Under -icount with sleep=off their number depends on how long the
  // host took for the I/O the CPU waited for, so benchmarks may exclude them too.
  uint64_t empty_wake_ticks[kCpuTimesCpus];
};
static_assert(sizeof(CpuTimes) == 24 + 16 * kCpuTimesCpus);

// User-space pagers (VmemSetPager .. VmemClearPager, docs/syscalls.md "Pagers"): what a fault
// record says about the access that faulted (PageFault::access bits).
enum FaultAccess : uint64_t {
  kFaultRead = 1 << 0,
  kFaultWrite = 1 << 1,
  kFaultExecute = 1 << 2,  // an instruction fetch
};
// One pending page fault, as VmemTakeFault hands it to the pager.
struct PageFault {
  uint64_t address;  // the faulting address (not rounded to a page)
  uint64_t access;   // FaultAccess bits
  uint64_t token;    // names the faulting thread's wait to VmemResolveFault (never 0)
};
static_assert(sizeof(PageFault) == 24);
// VmemResolveFault's `verdict`: retry the access, or kill the thread as for an unhandled fault.
inline constexpr uint64_t kFaultRefuse = 0;
inline constexpr uint64_t kFaultRetry = 1;

// X(number, Name, value, (arguments), (decode errors), (perform errors)).
//   number: ABI; append, never renumber.
//   value: what rdx carries on success (uapi/syscall_args.h): void, NewHandle, CapInfo, NoReturn.
//   arguments: a parameter list of argument kinds (uapi/syscall_args.h) with their names.
//   decode errors: wrong arguments: capabilities, rights, values, user memory read in. Checked
//     before anything changes.
//   perform errors: the objects' current state (Busy, Dead, AlreadyMapped, Overlap, NotMapped,
//     checked atomically with the change), resources (OutOfMemory, NoSlots) and faults while
//     writing results out. A call that fails has no effect either way.
// Names inside the lists resolve in SyscallSpec (ObjectType and Status enumerators in scope).
#define HIILLOS_SYSCALLS(X)                                                                        \
  X(0, Log, void,                                                                                  \
    (Cap<kLog, Rights::kWrite> log, UserInArray<char> text, UpTo<kMaxLogLength> length),           \
    (kInvalidCapability, kWrongType, kMissingRights, kInvalidArgument, kBadAddress), ())           \
  X(1, Yield, void, (), (), ())                                                                    \
  X(2, CapIdentify, CapInfo, (AnyCap handle), (kInvalidCapability), ())                            \
  X(3, CapDerive, NewHandle, (AnyCap handle, RightsMask rights),                                   \
    (kInvalidCapability, kMissingRights, kInvalidArgument), (kNoSlots, kOutOfMemory))              \
  X(4, CapDelete, void, (AnyCap handle), (kInvalidCapability), ())                                 \
  X(5, MemoryAllocFrame, NewHandle,                                                                \
    (Cap<kMemory, Rights::kWrite> memory, UpTo<kMaxFrameOrder> order),                             \
    (kInvalidCapability, kWrongType, kMissingRights, kInvalidArgument), (kOutOfMemory, kNoSlots))  \
  X(6, MemoryAllocVmem, NewHandle, (Cap<kMemory, Rights::kWrite> memory),                          \
    (kInvalidCapability, kWrongType, kMissingRights), (kOutOfMemory, kNoSlots))                    \
  X(7, MemoryAllocProcess, NewHandle,                                                              \
    (Cap<kMemory, Rights::kWrite> memory, Cap<kVmem, Rights::kWrite> vmem),                        \
    (kInvalidCapability, kWrongType, kMissingRights), (kOutOfMemory, kNoSlots))                    \
  X(8, MemoryAllocThread, NewHandle,                                                               \
    (Cap<kMemory, Rights::kWrite> memory, Cap<kProcess, Rights::kWrite> process),                  \
    (kInvalidCapability, kWrongType, kMissingRights), (kDead, kOutOfMemory, kNoSlots))             \
  X(9, MemoryInfo, void, (Cap<kMemory, Rights::kRead> memory, UserOut<MemoryInfo> out),            \
    (kInvalidCapability, kWrongType, kMissingRights), (kBadAddress))                               \
  X(10, FrameInfo, void, (Cap<kFrame, Rights::kRead> frame, UserOut<FrameInfo> out),               \
    (kInvalidCapability, kWrongType, kMissingRights), (kBadAddress))                               \
  X(11, VmemMap, void,                                                                             \
    (Cap<kVmem, Rights::kMap> vmem, Cap<kFrame, Rights::kMap> frame, Word vaddr,                   \
     MapFlagBits flags, Cap<kMemory, Rights::kWrite> memory),                                      \
    (kInvalidCapability, kWrongType, kMissingRights, kInvalidArgument, kPermissionDenied),         \
    (kAlreadyMapped, kOverlap, kOutOfMemory))                                                      \
  X(12, VmemUnmap, void, (Cap<kVmem, Rights::kMap> vmem, Word vaddr),                              \
    (kInvalidCapability, kWrongType, kMissingRights), (kNotMapped))                                \
  X(13, ProcessGiveCap, NewHandle,                                                                 \
    (Cap<kProcess, Rights::kWrite> process, AnyCap handle, RightsMask rights),                     \
    (kInvalidCapability, kWrongType, kMissingRights, kInvalidArgument),                            \
    (kDead, kNoSlots, kOutOfMemory))                                                               \
  X(14, ThreadGetRegs, void, (Cap<kThread, Rights::kRead> thread, UserOut<ThreadRegs> out),        \
    (kInvalidCapability, kWrongType, kMissingRights), (kBusy, kBadAddress))                        \
  X(15, ThreadSetRegs, void, (Cap<kThread, Rights::kWrite> thread, UserIn<ThreadRegs> in),         \
    (kInvalidCapability, kWrongType, kMissingRights, kBadAddress), (kBusy, kInvalidArgument))      \
  X(16, ThreadStart, void, (Cap<kThread, Rights::kWrite> thread),                                  \
    (kInvalidCapability, kWrongType, kMissingRights), (kBusy, kDead))                              \
  X(17, ThreadStop, void, (Cap<kThread, Rights::kWrite> thread),                                   \
    (kInvalidCapability, kWrongType, kMissingRights), (kBusy))                                     \
  X(18, ThreadSetPriority, void,                                                                   \
    (Cap<kThread, Rights::kWrite> thread, UpTo<kMaxPriority> priority),                            \
    (kInvalidCapability, kWrongType, kMissingRights, kInvalidArgument), (kPermissionDenied))       \
  X(19, ThreadSetAffinity, void, (Cap<kThread, Rights::kWrite> thread, Word cpu_mask),             \
    (kInvalidCapability, kWrongType, kMissingRights), (kInvalidArgument))                          \
  X(20, ThreadWait, void, (Cap<kThread, Rights::kRead> thread, UserOut<ThreadExit> out),           \
    (kInvalidCapability, kWrongType, kMissingRights, kBadAddress),                                 \
    (kBusy, kBadAddress, kInterrupted))                                                            \
  X(21, ThreadExit, NoReturn, (Word code), (), ())                                                 \
  X(22, SystemInfo, void, (UserOut<SystemInfo> out), (), (kBadAddress))                            \
  X(23, MemoryCreate, NewHandle, (Cap<kMemory, Rights::kWrite> memory, Word budget),               \
    (kInvalidCapability, kWrongType, kMissingRights, kInvalidArgument), (kOutOfMemory, kNoSlots))  \
  X(24, ProcessKill, void, (Cap<kProcess, Rights::kWrite> process),                                \
    (kInvalidCapability, kWrongType, kMissingRights), ())                                          \
  X(26, VmemSetPager, void,                                                                        \
    (Cap<kVmem, Rights::kMap> vmem, Cap<kNotify, Rights::kWrite> notify, Word bits),               \
    (kInvalidCapability, kWrongType, kMissingRights, kInvalidArgument), (kBusy, kDead))            \
  X(27, VmemTakeFault, void, (Cap<kVmem, Rights::kMap> vmem, UserOut<PageFault> out),              \
    (kInvalidCapability, kWrongType, kMissingRights), (kWouldBlock, kBadAddress))                  \
  X(28, VmemResolveFault, void,                                                                    \
    (Cap<kVmem, Rights::kMap> vmem, Word token, UpTo<kFaultRetry> verdict),                        \
    (kInvalidCapability, kWrongType, kMissingRights, kInvalidArgument), (kDead))                   \
  X(29, VmemClearPager, void, (Cap<kVmem, Rights::kMap> vmem),                                     \
    (kInvalidCapability, kWrongType, kMissingRights), (kNotMapped))                                \
  X(30, ProcessSetMaxPriority, void,                                                               \
    (Cap<kProcess, Rights::kWrite> process, UpTo<kMaxPriority> priority),                          \
    (kInvalidCapability, kWrongType, kMissingRights, kInvalidArgument), (kPermissionDenied))       \
  X(31, NotifyWaitUntil, Bits, (Cap<kNotify, Rights::kRead> notify, Word deadline_tsc),            \
    (kInvalidCapability, kWrongType, kMissingRights), (kTimedOut, kInterrupted))                   \
  X(32, SystemClock, void, (UserOut<ClockInfo> out), (), (kBadAddress))                            \
  X(35, SystemIrqOffStats, void, (UserOut<IrqOffStats> out, UpTo<kIrqOffReset> reset),             \
    (kInvalidArgument), (kBadAddress))                                                             \
  X(36, IrqMsiBind, NewHandle,                                                                     \
    (Cap<kIrqLine, Rights::kWrite> authority, Cap<kMemory, Rights::kWrite> memory,                 \
     Cap<kNotify, Rights::kWrite> notify, Word bits, UserOut<MsiMessage> out),                     \
    (kInvalidCapability, kWrongType, kMissingRights, kInvalidArgument),                            \
    (kBusy, kOutOfMemory, kNoSlots, kBadAddress))                                                  \
  X(37, SystemCpuTimes, void, (UserOut<CpuTimes> out), (), (kBadAddress))                          \
  X(38, IrqGsiBind, NewHandle,                                                                     \
    (Cap<kIrqLine, Rights::kWrite> authority, Cap<kMemory, Rights::kWrite> memory, Word gsi,       \
     Word flags, Cap<kNotify, Rights::kWrite> notify, Word bits),                                  \
    (kInvalidCapability, kWrongType, kMissingRights, kInvalidArgument),                            \
    (kBusy, kOutOfMemory, kNoSlots))                                                               \
  X(60, MemoryAllocNotify, NewHandle, (Cap<kMemory, Rights::kWrite> memory),                       \
    (kInvalidCapability, kWrongType, kMissingRights), (kOutOfMemory, kNoSlots))                    \
  X(61, NotifySignal, void, (Cap<kNotify, Rights::kWrite> notify, Word bits),                      \
    (kInvalidCapability, kWrongType, kMissingRights, kInvalidArgument), ())                        \
  X(62, NotifyWait, Bits, (Cap<kNotify, Rights::kRead> notify),                                    \
    (kInvalidCapability, kWrongType, kMissingRights), ())                                          \
  X(63, NotifyPoll, Bits, (Cap<kNotify, Rights::kRead> notify),                                    \
    (kInvalidCapability, kWrongType, kMissingRights), (kWouldBlock))                               \
  X(64, IrqLineBind, NewHandle,                                                                    \
    (Cap<kIrqLine, Rights::kWrite> authority, Cap<kMemory, Rights::kWrite> memory, Word irq,       \
     Cap<kNotify, Rights::kWrite> notify, Word bits),                                              \
    (kInvalidCapability, kWrongType, kMissingRights, kInvalidArgument),                            \
    (kBusy, kOutOfMemory, kNoSlots))                                                               \
  X(65, IrqLineAck, void, (Cap<kIrqLine, Rights::kWrite> line),                                    \
    (kInvalidCapability, kWrongType, kMissingRights, kInvalidArgument), ())                        \
  X(66, IoPortRangeSplit, NewHandle,                                                               \
    (Cap<kIoPortRange, Rights::kClone> range, Cap<kMemory, Rights::kWrite> memory, Word first,     \
     Word count),                                                                                  \
    (kInvalidCapability, kWrongType, kMissingRights, kInvalidArgument), (kOutOfMemory, kNoSlots))  \
  X(67, IoPortRangeEnable, void,                                                                   \
    (Cap<kIoPortRange, Rights::kRead | Rights::kWrite> range,                                      \
     Cap<kMemory, Rights::kWrite> memory),                                                         \
    (kInvalidCapability, kWrongType, kMissingRights), (kOutOfMemory))                              \
  X(68, DeviceMemoryCreateFrame, NewHandle,                                                        \
    (Cap<kDeviceMemory, Rights::kWrite> authority, Cap<kMemory, Rights::kWrite> memory, Word phys, \
     Word size),                                                                                   \
    (kInvalidCapability, kWrongType, kMissingRights, kInvalidArgument, kPermissionDenied),         \
    (kOutOfMemory, kNoSlots))                                                                      \
  X(69, FrameDmaAddress, void,                                                                     \
    (Cap<kFrame, Rights::kRead> frame, Cap<kDeviceMemory, Rights::kRead> authority,                \
     UserOut<uint64_t> out),                                                                       \
    (kInvalidCapability, kWrongType, kMissingRights), (kBadAddress))                               \
  HIILLOS_IPC_SYSCALLS(X)

// IPC (numbers 40-59): endpoints and messages (docs/ipc.md; message registers in uapi/ipc.h).
#define HIILLOS_IPC_SYSCALLS(X)                                                                  \
  X(40, MemoryAllocReceiver, NewHandle, (Cap<kMemory, Rights::kWrite> memory),                   \
    (kInvalidCapability, kWrongType, kMissingRights), (kOutOfMemory, kNoSlots))                  \
  X(41, ReceiverCreateSender, NewHandle,                                                         \
    (Cap<kMemory, Rights::kWrite> memory, Cap<kReceiver, Rights::kWrite> receiver, Word badge),  \
    (kInvalidCapability, kWrongType, kMissingRights), (kOutOfMemory, kNoSlots))                  \
  X(42, MemoryAllocReply, NewHandle, (Cap<kMemory, Rights::kWrite> memory),                      \
    (kInvalidCapability, kWrongType, kMissingRights), (kOutOfMemory, kNoSlots))                  \
  X(43, ThreadSetIpcBuffer, void, (Cap<kThread, Rights::kWrite> thread, Word address),           \
    (kInvalidCapability, kWrongType, kMissingRights, kInvalidArgument), ())                      \
  X(44, Call, Message, (Cap<kSender, Rights::kWrite> sender),                                    \
    (kInvalidCapability, kWrongType, kMissingRights, kInvalidArgument, kBadAddress),             \
    (kDead, kNoSlots, kOutOfMemory, kBadAddress, kInterrupted))                                  \
  X(45, Send, Message, (Cap<kSender, Rights::kWrite> sender),                                    \
    (kInvalidCapability, kWrongType, kMissingRights, kInvalidArgument, kBadAddress),             \
    (kDead, kWouldBlock, kNoSlots, kOutOfMemory))                                                \
  X(46, Recv, Message,                                                                           \
    (Cap<kReceiver, Rights::kRead> receiver, Cap<kReply, Rights::kWrite> reply),                 \
    (kInvalidCapability, kWrongType, kMissingRights), (kDead, kBusy, kBadAddress, kInterrupted)) \
  X(47, Reply, Message, (Cap<kReply, Rights::kWrite> reply),                                     \
    (kInvalidCapability, kWrongType, kMissingRights, kInvalidArgument, kBadAddress),             \
    (kDead, kBusy, kNoSlots, kOutOfMemory))                                                      \
  X(48, ReplyRecv, Message,                                                                      \
    (Cap<kReceiver, Rights::kRead> receiver, Cap<kReply, Rights::kWrite> reply),                 \
    (kInvalidCapability, kWrongType, kMissingRights, kInvalidArgument, kBadAddress),             \
    (kDead, kBusy, kNoSlots, kOutOfMemory, kBadAddress, kInterrupted))

enum class Syscall : uint64_t {
#define HIILLOS_SYSCALL_ENUM(number, name, ...) k##name = number,
  HIILLOS_SYSCALLS(HIILLOS_SYSCALL_ENUM)
#undef HIILLOS_SYSCALL_ENUM
};

// Numbers are assigned in blocks per family (0-39 the base calls, 40-59 IPC, 60-69 notifications
// and hardware access), so they have gaps: a number in a gap is kInvalidSyscall like one past the
// end.
#define HIILLOS_SYSCALL_NUMBER_ITEM(number, name, ...) uint64_t{number},
inline constexpr uint64_t kSyscallNumbers[] = {HIILLOS_SYSCALLS(HIILLOS_SYSCALL_NUMBER_ITEM)};
#undef HIILLOS_SYSCALL_NUMBER_ITEM
consteval uint64_t OnePastHighestSyscall() {
  uint64_t highest = 0;
  for (uint64_t number : kSyscallNumbers) highest = number > highest ? number : highest;
  return highest + 1;
}
// One past the highest number: the size of a table indexed by number.
inline constexpr uint64_t kSyscallCount = OnePastHighestSyscall();
// How many calls there are.
inline constexpr uint64_t kSyscallsDefined = sizeof(kSyscallNumbers) / sizeof(kSyscallNumbers[0]);

// One call's row of the table as C++: SyscallSpec<Syscall::kVmemMap>::Signature is
// `void(Cap<kVmem, Rights::kMap> vmem, ...)`.
template <Syscall kCall>
struct SyscallSpec;

template <typename Signature>
struct SignatureTraits;
template <typename V, typename... Args>
struct SignatureTraits<V(Args...)> {
  using Value = V;
  static constexpr uint64_t kArgCount = sizeof...(Args);
  // The errors the argument kinds imply (capability lookups, user pointers, checked values).
  static constexpr ErrorSet kKindErrors = (ErrorSet{} | ... | Args::kErrors);
};

#define HIILLOS_SYSCALL_SPEC(number, name, value, arguments, decode_errors, perform_errors)    \
  template <>                                                                                  \
  struct SyscallSpec<Syscall::k##name> {                                                       \
    using enum ObjectType;                                                                     \
    using enum Status;                                                                         \
    static constexpr uint64_t kNumber = number;                                                \
    static constexpr const char* kName = #name;                                                \
    static constexpr const char* kArguments = #arguments;                                      \
    using Signature = value arguments;                                                         \
    static constexpr ErrorSet kDecodeErrors = Errors decode_errors;                            \
    static constexpr ErrorSet kPerformErrors = Errors perform_errors;                          \
    static constexpr ErrorSet kErrors = kDecodeErrors | kPerformErrors;                        \
  };                                                                                           \
  static_assert(SignatureTraits<SyscallSpec<Syscall::k##name>::Signature>::kArgCount <= 6,     \
                #name ": at most six argument registers");                                     \
  static_assert((SignatureTraits<SyscallSpec<Syscall::k##name>::Signature>::kKindErrors.bits & \
                 ~SyscallSpec<Syscall::k##name>::kErrors.bits) == 0,                           \
                #name ": list every error its argument kinds imply");                          \
  static_assert(!SyscallSpec<Syscall::k##name>::kErrors.Has(Status::kOk),                      \
                #name ": kOk is not an error");
HIILLOS_SYSCALLS(HIILLOS_SYSCALL_SPEC)
#undef HIILLOS_SYSCALL_SPEC

// Each number below the count (a number used twice would specialise SyscallSpec twice, which
// does not compile).
#define HIILLOS_SYSCALL_NUMBER_CHECK(number, name, ...) \
  static_assert((number) < kSyscallCount, #name ": syscall number out of range");
HIILLOS_SYSCALLS(HIILLOS_SYSCALL_NUMBER_CHECK)
#undef HIILLOS_SYSCALL_NUMBER_CHECK

}  // namespace hiillos::uapi
