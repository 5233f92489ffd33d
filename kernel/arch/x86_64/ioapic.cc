// kernel/arch/x86_64/ioapic.cc — IOAPIC register access (82093AA datasheet §3) and GSI routing.
#include "kernel/arch/x86_64/ioapic.h"

#include "kernel/arch/spinlock.h"
#include "kernel/arch/x86_64/kernel_services.h"
#include "kernel/arch/x86_64/mmio_window.h"
#include "kernel/arch/x86_64/percpu.h"
#include "kernel/arch/x86_64/vectors.h"
#include "lib/base/atomic.h"

namespace hiillos::arch {
namespace {

// Register window: index at +0x00, data at +0x10 (datasheet §3.1).
constexpr uint32_t kIoRegSel = 0x00 / 4;
constexpr uint32_t kIoWin = 0x10 / 4;
constexpr uint32_t kRegVersion = 0x01;          // bits 23:16: highest redirection entry index
constexpr uint32_t kRegRedirectionBase = 0x10;  // entry n: low dword at 0x10 + 2n, high at +1

struct IoApic {
  volatile uint32_t* regs;
  uint32_t gsi_base;
  uint32_t count;  // redirection entries (inputs)
  uint8_t id;
};

// Written by IoApicInit on the boot CPU before other CPUs start; read-only afterwards.
IoApic g_ioapics[acpi::kMaxIoApics];
uint32_t g_ioapic_count;
const acpi::Madt* g_madt;

// Guards IOREGSEL/IOWIN sequences of every IOAPIC.
IrqSpinLock g_lock;

uint32_t ReadRegister(const IoApic& io, uint32_t reg) TA_REQUIRES(g_lock) {
  io.regs[kIoRegSel] = reg;
  return io.regs[kIoWin];
}
void WriteRegister(const IoApic& io, uint32_t reg, uint32_t value) TA_REQUIRES(g_lock) {
  io.regs[kIoRegSel] = reg;
  io.regs[kIoWin] = value;
}

// The IOAPIC and input for `gsi`, or nullptr.
const IoApic* Find(uint32_t gsi, uint32_t* input) {
  for (uint32_t i = 0; i < g_ioapic_count; ++i) {
    const IoApic& io = g_ioapics[i];
    if (gsi >= io.gsi_base && gsi - io.gsi_base < io.count) {
      *input = gsi - io.gsi_base;
      return &io;
    }
  }
  return nullptr;
}

bool Overlaps(uint32_t base, uint32_t count) {
  for (uint32_t i = 0; i < g_ioapic_count; ++i) {
    const IoApic& io = g_ioapics[i];
    if (base < io.gsi_base + io.count && io.gsi_base < base + count) return true;
  }
  return false;
}

Result<void, IoApicError> SetMask(uint32_t gsi, bool masked) {
  uint32_t input = 0;
  const IoApic* io = Find(gsi, &input);
  if (io == nullptr) return Err(IoApicError::kNoSuchGsi);
  IrqSpinLockGuard guard(g_lock);
  uint32_t reg = kRegRedirectionBase + 2 * input;
  uint32_t low = ReadRegister(*io, reg);
  low = masked ? (low | kRedirectionMasked) : (low & ~static_cast<uint32_t>(kRedirectionMasked));
  WriteRegister(*io, reg, low);
  return {};
}

}  // namespace

void IoApicInit(const acpi::Madt& madt) {
  g_madt = &madt;
  uint32_t listed = madt.io_apic_count < acpi::kMaxIoApics ? madt.io_apic_count : acpi::kMaxIoApics;
  for (uint32_t i = 0; i < listed; ++i) {
    const acpi::IoApic& entry = madt.io_apics[i];
    auto window = MapMmio(entry.address, 0x20);
    if (!window.ok()) {
      kernel_services::Log("irq", "IOAPIC %u at %#x: cannot map (error %u), skipped", entry.id,
                           entry.address, static_cast<unsigned>(window.error()));
      continue;
    }
    IoApic io{reinterpret_cast<volatile uint32_t*>(window.value()), entry.gsi_base, 0, entry.id};
    uint32_t version;
    {
      IrqSpinLockGuard guard(g_lock);
      version = ReadRegister(io, kRegVersion);
    }
    io.count = ((version >> 16) & 0xff) + 1;
    if (version == 0xffff'ffff || io.gsi_base > 0xffff'ffffu - io.count ||
        Overlaps(io.gsi_base, io.count)) {
      kernel_services::Log("irq", "IOAPIC %u at %#x: bad version %#x or GSI range, skipped",
                           entry.id, entry.address, version);
      continue;
    }
    {
      IrqSpinLockGuard guard(g_lock);
      for (uint32_t input = 0; input < io.count; ++input) {
        WriteRegister(io, kRegRedirectionBase + 2 * input,
                      static_cast<uint32_t>(kRedirectionMasked));
        WriteRegister(io, kRegRedirectionBase + 2 * input + 1, 0);
      }
    }
    g_ioapics[g_ioapic_count++] = io;
    kernel_services::Log("irq", "IOAPIC %u at %#x: GSI %u-%u, version %#x, all masked", io.id,
                         entry.address, io.gsi_base, io.gsi_base + io.count - 1, version & 0xff);
  }
}

IrqRoute IsaIrqRoute(uint8_t irq) {
  if (g_madt == nullptr) return IrqRoute{irq, IrqPolarity::kActiveHigh, IrqTrigger::kEdge};
  return ResolveIsaIrq(*g_madt, irq);
}

Result<void, IoApicError> IoApicRoute(uint32_t gsi, uint8_t vector, uint32_t cpu_index,
                                      IrqPolarity polarity, IrqTrigger trigger) {
  if (vector < kFirstDeviceVector || vector > kLastDeviceVector) {
    return Err(IoApicError::kBadVector);
  }
  if (cpu_index >= kMaxCpus) return Err(IoApicError::kBadCpu);
  PerCpu& cpu = PerCpuRecord(cpu_index);
  if (!cpu.initialized.Load(MemoryOrder::kAcquire)) return Err(IoApicError::kBadCpu);
  if (cpu.lapic_id > 0xff) return Err(IoApicError::kBadDestination);
  uint32_t input = 0;
  const IoApic* io = Find(gsi, &input);
  if (io == nullptr) return Err(IoApicError::kNoSuchGsi);
  uint64_t entry = EncodeRedirection(vector, static_cast<uint8_t>(cpu.lapic_id), polarity, trigger,
                                     /*masked=*/true);
  IrqSpinLockGuard guard(g_lock);
  uint32_t reg = kRegRedirectionBase + 2 * input;
  // Mask first, so the line never fires with half an entry written.
  WriteRegister(*io, reg, ReadRegister(*io, reg) | static_cast<uint32_t>(kRedirectionMasked));
  WriteRegister(*io, reg + 1, static_cast<uint32_t>(entry >> 32));
  WriteRegister(*io, reg, static_cast<uint32_t>(entry));
  return {};
}

Result<void, IoApicError> IoApicMask(uint32_t gsi) {
  return SetMask(gsi, true);
}
Result<void, IoApicError> IoApicUnmask(uint32_t gsi) {
  return SetMask(gsi, false);
}

Result<uint64_t, IoApicError> IoApicReadEntry(uint32_t gsi) {
  uint32_t input = 0;
  const IoApic* io = Find(gsi, &input);
  if (io == nullptr) return Err(IoApicError::kNoSuchGsi);
  IrqSpinLockGuard guard(g_lock);
  uint32_t reg = kRegRedirectionBase + 2 * input;
  uint64_t low = ReadRegister(*io, reg);
  uint64_t high = ReadRegister(*io, reg + 1);
  return (high << 32) | low;
}

uint32_t IoApicCount() {
  return g_ioapic_count;
}

uint32_t IoApicGsiCount() {
  uint32_t total = 0;
  for (uint32_t i = 0; i < g_ioapic_count; ++i) total += g_ioapics[i].count;
  return total;
}

}  // namespace hiillos::arch
