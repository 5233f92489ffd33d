// uapi/syscalls.h — the syscall table: one X-macro list that generates the kernel's dispatch
// table and the user-space wrappers (docs/syscalls.md documents each call and its errors).
//
// ABI (x86-64, SYSCALL instruction): rax = syscall number; arguments in rdi, rsi, rdx, r10, r8,
// r9 (r10 instead of rcx, which SYSCALL overwrites); on return rax = uapi::Status and rdx = the
// call's value (a handle, a size, ...; 0 when the call has none). rcx and r11 are clobbered,
// every other register is preserved. An unknown number returns Status::kInvalidSyscall.
#pragma once

#include <stdint.h>

#include "uapi/status.h"

namespace hiillos::uapi {

// X(number, Name, argument count). Numbers are ABI: append, never renumber.
#define HIILLOS_SYSCALLS(X)                                                                    \
  X(0, Log, 2)                /* (const char* text, u64 length): one line to the kernel log */ \
  X(1, Yield, 0)              /* give up the rest of the time slice */                         \
  X(2, CapIdentify, 1)        /* (handle) -> (rights << 8) | type */                           \
  X(3, CapDerive, 2)          /* (handle, rights) -> new handle with a subset of the rights */ \
  X(4, CapDelete, 1)          /* (handle): drop the capability */                              \
  X(5, MemoryAllocFrame, 2)   /* (memory, order) -> frame of 0x1000 << order bytes, zeroed */  \
  X(6, MemoryAllocVmem, 1)    /* (memory) -> empty address space */                            \
  X(7, MemoryAllocProcess, 2) /* (memory, vmem) -> process using that address space */         \
  X(8, MemoryAllocThread, 2)  /* (memory, process) -> stopped thread in that process */        \
  X(9, MemoryInfo, 2)         /* (memory, MemoryInfo* out): budget and use */                  \
  X(10, FrameInfo, 2)         /* (frame, FrameInfo* out): size, physical address if device */  \
  X(11, VmemMap, 4)           /* (vmem, frame, vaddr, MapFlags) */                             \
  X(12, VmemUnmap, 2)         /* (vmem, vaddr): remove the mapping that starts at vaddr */     \
  X(13, ProcessGiveCap, 3)    /* (process, handle, rights) -> handle owned by that process */  \
  X(14, ThreadGetRegs, 2)     /* (thread, ThreadRegs* out) — thread must be stopped */       \
  X(15, ThreadSetRegs, 2)     /* (thread, const ThreadRegs* in) — thread must be stopped */  \
  X(16, ThreadStart, 1)       /* (thread) */                                                   \
  X(17, ThreadStop, 1)        /* (thread) */                                                   \
  X(18, ThreadSetPriority, 2) /* (thread, priority 0..kMaxPriority) */                         \
  X(19, ThreadSetAffinity, 2) /* (thread, cpu mask; 0 = any CPU) */                            \
  X(20, ThreadWait, 2)        /* (thread, ThreadExit* out): block until it exits or faults */  \
  X(21, ThreadExit, 1)        /* (code): end the calling thread (does not return) */           \
  X(22, SystemInfo, 1)        /* (SystemInfo* out): counters for leak checks and `free`/`ps` */

enum class Syscall : uint64_t {
#define HIILLOS_SYSCALL_ENUM(number, name, args) k##name = number,
  HIILLOS_SYSCALLS(HIILLOS_SYSCALL_ENUM)
#undef HIILLOS_SYSCALL_ENUM
};

#define HIILLOS_SYSCALL_COUNT(number, name, args) +1
inline constexpr uint64_t kSyscallCount = 0 HIILLOS_SYSCALLS(HIILLOS_SYSCALL_COUNT);
#undef HIILLOS_SYSCALL_COUNT

// Limits and argument layouts.
inline constexpr uint64_t kMaxLogLength = 512;
inline constexpr unsigned kMaxFrameOrder = 18;  // 1 GiB
inline constexpr unsigned kPriorityLevels = 4;  // 0 (lowest) .. 3 (highest)
inline constexpr unsigned kMaxPriority = kPriorityLevels - 1;
inline constexpr unsigned kDefaultPriority = 1;

// VmemMap flags: what the mapping allows (each also needs the matching frame right).
enum MapFlags : uint64_t {
  kMapRead = 1 << 0,
  kMapWrite = 1 << 1,  // needs Rights::kWrite on the frame; never with kMapExecute
  kMapExecute = 1 << 2,
};

struct MemoryInfo {
  uint64_t budget_bytes;  // what this Memory may still hand out
  uint64_t used_bytes;    // what objects allocated from it hold now
};
static_assert(sizeof(MemoryInfo) == 16);

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
};
static_assert(sizeof(SystemInfo) == 40);

}  // namespace hiillos::uapi
