// testing/bench/irq_bench.cc — IRQ → user handler running: the PIT (8254) channel 0 in one-shot
// mode raises ISA IRQ 0 (the IOAPIC input from the ACPI MADT override, GSI 2 on q35), bound with
// IrqLineBind to a Notify; the handler thread sleeps in NotifyWait. A sample runs from the moment
// the PIT raises its output to the handler's TSC read right after NotifyWait returns.
//
// The raise moment is computed, not read: the handler reads the TSC right after the OUT that
// loads the count, and the PIT raises OUT `count` PIT ticks later. Under QEMU `-icount
// shift=7,sleep=off` the TSC and QEMU's virtual clock advance in step, 1 tick per virtual ns
// (128 per instruction), and QEMU's PIT raises OUT at load time + count * 10^9 / 1193182 ns
// (hw/timer/i8254: PIT_FREQ). So a sample is tsc_woken - (tsc_loaded + that), good to the one or
// two instructions between the OUT and the TSC read. With the CPU idle (HLT) until the interrupt,
// QEMU jumps its clock to the PIT's deadline, so the figure does not depend on the count.
//
// The kernel does not use PIT channel 0 or IRQ 0 (it calibrates the TSC once at boot with
// channel 2, polled: kernel/arch/x86_64/pit.h). The IOAPIC sends the line to the boot CPU, so the
// handler thread is pinned to CPU 0 (no IPI in the path).
#include "services/lib/port_io.h"
#include "testing/bench/bench_cases.h"
#include "testing/bench/measure.h"
#include "testing/bench/threads.h"
#include "uapi/syscalls.h"

namespace hiillos::bench {
namespace {

constexpr uint64_t kIsaIrqPit = 0;
constexpr uint16_t kPitChannel0 = 0x40;
constexpr uint16_t kPitCommand = 0x43;
constexpr uint16_t kPitPorts = 4;  // 0x40-0x43
// Channel 0, lobyte/hibyte access, mode 0 (interrupt on terminal count), binary.
constexpr uint8_t kPitOneShot = 0x30;
// PIT ticks until the interrupt: ~1.7 ms of virtual time, far more than the handler needs to
// get back into NotifyWait (~13,000 instructions).
constexpr uint16_t kPitCount = 2000;
constexpr uint64_t kPitHz = 1193182;  // QEMU's PIT_FREQ
// TSC ticks per second under -icount (one per virtual ns).
constexpr uint64_t kTscHz = 1'000'000'000;
constexpr uint64_t kRaiseAfterTicks = kPitCount * kTscHz / kPitHz;

Samples g_samples;
Samples g_overhead;
const char* volatile g_failure = nullptr;

void Handler(uint64_t) {
  auto notify = rt::MemoryAllocNotify(kMemory);
  if (!notify.ok()) {
    g_failure = "cannot create the Notify";
    return;
  }
  auto ports = rt::IoPortRangeSplit(uapi::kRootIoPortHandle, kMemory, kPitChannel0, kPitPorts);
  auto line = rt::IrqLineBind(uapi::kRootIrqHandle, kMemory, kIsaIrqPit, notify.value(), 1);
  if (!ports.ok() || !rt::IoPortRangeEnable(ports.value(), kMemory).ok()) {
    g_failure = "cannot get the PIT's ports";
  } else if (!line.ok()) {
    g_failure = "cannot bind IRQ 0 (in use?)";
  }
  for (int pass = 0; pass < 2 && g_failure == nullptr; ++pass) {
    for (int i = 0; i < kIterations; ++i) {
      rt::OutByte(kPitCommand, kPitOneShot);
      rt::OutByte(kPitChannel0, kPitCount & 0xff);
      rt::OutByte(kPitChannel0, kPitCount >> 8);
      const uint64_t loaded = ReadTsc();
      auto bits = rt::NotifyWait(notify.value());
      const uint64_t woken = ReadTsc();
      if (!bits.ok() || !rt::IrqLineAck(line.value()).ok()) {
        g_failure = "NotifyWait or IrqLineAck failed";
        break;
      }
      if (woken < loaded + kRaiseAfterTicks) {
        g_failure = "woken before the PIT's deadline (not the PIT's interrupt?)";
        break;
      }
      if (pass == 1) {
        g_samples.Add(woken - (loaded + kRaiseAfterTicks));
        const uint64_t a = ReadTsc();
        asm volatile("nop" ::: "memory");
        g_overhead.Add(ReadTsc() - a);
      }
    }
  }
  // Unbinding masks the input again; the PIT stays in mode 0 with OUT high (no more edges).
  if (line.ok()) (void)rt::CapDelete(line.value());
  if (ports.ok()) (void)rt::CapDelete(ports.value());
  (void)rt::CapDelete(notify.value());
}

}  // namespace

bool IrqToHandler() {
  const char* name = "IRQ -> user handler running (PIT IRQ 0 via IOAPIC, handler on CPU 0)";
  g_samples.Clear();
  g_overhead.Clear();
  g_failure = nullptr;
  // Its own thread: IoPortRangeEnable grants the ports to the calling thread for its life.
  auto handler = SpawnThread(Handler, 0, 0);
  if (!handler.ok()) {
    ReportMissing(name, "cannot start the handler thread");
    return false;
  }
  JoinThread(handler.value());
  if (g_failure != nullptr) {
    ReportMissing(name, g_failure);
    return false;
  }
  g_samples.Finish();
  g_overhead.Finish();
  Report(name, g_samples, &g_overhead);
  return true;
}

}  // namespace hiillos::bench
