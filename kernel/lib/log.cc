// kernel/lib/log.cc — formats log lines with a timestamp and CPU prefix and writes them to COM1.
#include "kernel/lib/log.h"

#include <stdint.h>

#include "kernel/arch/x86_64/percpu.h"
#include "kernel/arch/x86_64/serial.h"
#include "kernel/time/clock.h"
#include "lib/format/format.h"

namespace hiillos::klog {
namespace {

void SerialSink(void*, const char* text, size_t length) { arch::SerialWrite(text, length); }

// Which CPU is logging: its PerCpu index once PerCpuInit ran on it (0 before, which is the boot
// CPU; APs log only after their PerCpuInit).
unsigned CurrentCpuForLog() {
  arch::PerCpu* cpu = arch::CurrentCpuIfReady();
  return cpu != nullptr ? cpu->index : 0;
}

}  // namespace

void Init() { arch::SerialInit(); }

void VLog(const char* subsystem, const char* fmt, va_list args) {
  uint64_t ns = time::NowNanoseconds();
  format::Format(SerialSink, nullptr, "[%5lu.%06lu] cpu%u %s: ", ns / 1'000'000'000,
                 (ns / 1000) % 1'000'000, CurrentCpuForLog(), subsystem);
  format::VFormat(SerialSink, nullptr, fmt, args);
  arch::SerialWrite("\n", 1);
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
