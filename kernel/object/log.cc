// kernel/object/log.cc — the Log object: the one instance and chunked user lines.
#include "kernel/object/log.h"

#include "kernel/arch/cpu_local.h"
#include "kernel/arch/interrupts.h"
#include "kernel/lib/log.h"
#include "kernel/panic/panic.h"
#include "kernel/sched/wait_queue.h"
#include "lib/base/atomic.h"
#include "lib/base/placement_new.h"
#include "uapi/syscalls.h"

namespace hiillos::object {
namespace {

alignas(Log) unsigned char g_storage[sizeof(Log)];
// 0: not made, 1: being made, 2: ready (the kernel's reference is then held forever).
Atomic<uint32_t> g_state;

// Serialises user lines (a sleeping lock: the writer keeps interrupts on between chunks and
// may be preempted; waiters sleep instead of spinning).
constinit sched::WaitQueue g_writers;
bool g_writing = false;  // guarded by g_writers' lock (only touched under a WaitQueueGuard)

}  // namespace

Ref<Log> Log::Get() {
  uint32_t expected = 0;
  if (g_state.CompareExchange(expected, 1, MemoryOrder::kAcqRel, MemoryOrder::kAcquire)) {
    // AdoptRef's reference is the kernel's own: leaked on purpose, it keeps the object forever.
    (void)AdoptRef(new (g_storage) Log()).Leak();
    g_state.Store(2, MemoryOrder::kRelease);
  }
  while (g_state.Load(MemoryOrder::kAcquire) != 2) arch::Pause();
  return Ref<Log>::Retain(reinterpret_cast<Log*>(g_storage));
}

void Log::Destroy(Log*) {
  panic::Panic("object: the Log object lost its last reference (the kernel keeps one)");
}

void Log::WriteUserLine(uint64_t process_id, const char* text, size_t length) {
  char line[klog::kMaxPrefixBytes + 16 + uapi::kMaxLogLength + 1];
  size_t used = klog::FormatPrefix(line, sizeof(line), "user");
  used += klog::FormatInto(line + used, sizeof(line) - used, "p%lu: ", process_id);
  if (length > sizeof(line) - used - 1) length = sizeof(line) - used - 1;
  __builtin_memcpy(line + used, text, length);
  used += length;
  line[used++] = '\n';
  {
    sched::WaitQueueGuard guard(g_writers);
    while (g_writing) guard.Block();
    g_writing = true;
  }
  for (size_t done = 0; done < used; done += kChunkBytes) {
    size_t chunk = used - done < kChunkBytes ? used - done : kChunkBytes;
    klog::WriteChunk(line + done, chunk);  // interrupts off (the line lock) only inside
    // Syscalls run with interrupts off: open a window between pieces (as Frame zeroing does),
    // so ticks and cross calls are served; this is also a preemption point.
    if (done + kChunkBytes < used && !arch::InterruptsEnabled()) arch::ServePendingInterrupts();
  }
  sched::WaitQueueGuard guard(g_writers);
  g_writing = false;
  guard.WakeOne();
}

}  // namespace hiillos::object
