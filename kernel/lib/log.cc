// kernel/lib/log.cc — formats log lines with a timestamp and CPU prefix and writes them to COM1.
#include "kernel/lib/log.h"

#include <stdint.h>

#include "kernel/arch/console.h"
#include "kernel/arch/cpu_local.h"
#include "kernel/arch/interrupts.h"
#include "kernel/time/clock.h"
#include "lib/base/atomic.h"
#include "lib/format/format.h"

namespace hiillos::klog {
namespace {

void SerialSink(void*, const char* text, size_t length) {
  arch::ConsoleWrite(text, length);
}

// Serialises whole lines between CPUs. Interrupts stay off while a line is written (handlers
// log too). The wait is bounded: a CPU halted by a panic NMI while holding the lock must not
// silence the panicking CPU, so after ~10^7 spins the line is written anyway.
class LineLock {
 public:
  struct Held {
    arch::InterruptState interrupts;  // as before the line started
    bool owned;                       // false when the wait gave up
  };
  Held Acquire() {
    arch::InterruptState interrupts = arch::SaveAndDisableInterrupts();
    for (uint64_t spins = 0; spins < 10'000'000; ++spins) {
      if (!locked_.Exchange(true, MemoryOrder::kAcquire)) return {interrupts, true};
      arch::Pause();
    }
    return {interrupts, false};  // give up waiting; write unserialised
  }
  void Release(Held held) {
    if (held.owned) locked_.Store(false, MemoryOrder::kRelease);
    arch::RestoreInterrupts(held.interrupts);
  }

 private:
  Atomic<bool> locked_;
};

LineLock g_line_lock;

// Which CPU is logging: its PerCpu index once PerCpuInit ran on it (0 before, which is the boot
// CPU; APs log only after their PerCpuInit).
unsigned CurrentCpuForLog() {
  uint32_t cpu = arch::CpuIndexIfReady();
  return cpu != arch::kNoCpu ? cpu : 0;
}

}  // namespace

void Init() {
  arch::ConsoleInit();
}

void VLog(const char* subsystem, const char* fmt, va_list args) {
  uint64_t ns = time::NowNanoseconds();
  LineLock::Held held = g_line_lock.Acquire();
  format::Format(SerialSink, nullptr, "[%5lu.%06lu] cpu%u %s: ", ns / 1'000'000'000,
                 (ns / 1000) % 1'000'000, CurrentCpuForLog(), subsystem);
  format::VFormat(SerialSink, nullptr, fmt, args);
  arch::ConsoleWrite("\n", 1);
  g_line_lock.Release(held);
}

size_t FormatPrefix(char* buffer, size_t size, const char* subsystem) {
  if (size == 0) return 0;
  uint64_t ns = time::NowNanoseconds();
  size_t needed =
      format::FormatToBuffer(buffer, size, "[%5lu.%06lu] cpu%u %s: ", ns / 1'000'000'000,
                             (ns / 1000) % 1'000'000, CurrentCpuForLog(), subsystem);
  return needed < size ? needed : size - 1;
}

size_t FormatInto(char* buffer, size_t size, const char* fmt, ...) {
  if (size == 0) return 0;
  va_list args;
  va_start(args, fmt);
  size_t needed = format::VFormatToBuffer(buffer, size, fmt, args);
  va_end(args);
  return needed < size ? needed : size - 1;
}

void WriteChunk(const char* text, size_t length) {
  LineLock::Held held = g_line_lock.Acquire();
  arch::ConsoleWrite(text, length);
  g_line_lock.Release(held);
}

void Log(const char* subsystem, const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  VLog(subsystem, fmt, args);
  va_end(args);
}

void Raw(const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  format::VFormat(SerialSink, nullptr, fmt, args);
  va_end(args);
}

}  // namespace hiillos::klog
