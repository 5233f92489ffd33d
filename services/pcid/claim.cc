// services/pcid/claim.cc — FunctionConfig and ClaimFunction: BAR frames, MSI-X/MSI or INTx
// binding.
#include "services/pcid/claim.h"

#include "lib/pci/interrupts.h"
#include "services/lib/print.h"
#include "services/lib/syscalls.h"

namespace hiillos::pcid {
namespace {

constexpr uint64_t kInterruptBit = 1;

}  // namespace

uint8_t FunctionConfig::Read8(pci::FunctionAddress address, uint16_t offset) {
  return address == address_ ? config_.Read8(address, offset) : 0xff;
}
uint16_t FunctionConfig::Read16(pci::FunctionAddress address, uint16_t offset) {
  return address == address_ ? config_.Read16(address, offset) : 0xffff;
}
uint32_t FunctionConfig::Read32(pci::FunctionAddress address, uint16_t offset) {
  return address == address_ ? config_.Read32(address, offset) : 0xffff'ffffu;
}
void FunctionConfig::Write8(pci::FunctionAddress address, uint16_t offset, uint8_t value) {
  if (address == address_) config_.Write8(address, offset, value);
}
void FunctionConfig::Write16(pci::FunctionAddress address, uint16_t offset, uint16_t value) {
  if (address == address_) config_.Write16(address, offset, value);
}
void FunctionConfig::Write32(pci::FunctionAddress address, uint16_t offset, uint32_t value) {
  if (address == address_) config_.Write32(address, offset, value);
}

const char* ClaimFunction(pci::ConfigSpace& config, const pci::Function& function,
                          DeviceMapper& mapper, uint32_t devices, uint32_t memory,
                          uint32_t irq_authority, const acpi::PciIntxRoute* intx, Claim& out) {
  out = Claim{};
  out.function = function;
  for (uint8_t i = 0; i < function.bar_count; ++i) {
    const pci::Bar& bar = function.bars[i];
    if (bar.kind != pci::BarKind::kMemory32 && bar.kind != pci::BarKind::kMemory64) continue;
    auto frames = pci::FramesOfBar(bar);
    if (!frames.ok()) continue;  // unassigned: nothing to hand over
    auto frame =
        rt::DeviceMemoryCreateFrame(devices, memory, frames.value().phys_base, frames.value().size);
    if (!frame.ok()) {
      rt::Printf("pcid: BAR%u %#lx+%#lx: status %u\n", i, frames.value().phys_base,
                 frames.value().size, static_cast<unsigned>(frame.error()));
      return "a BAR is not device memory";
    }
    out.bar_frames[i] = frame.value();
    out.bar_offset[i] = frames.value().offset_in_page;
  }
  pci::EnableDecoding(config, function.address, /*memory=*/true, /*bus_master=*/true);

  const pci::CapabilityList& caps = function.capabilities;
  if (intx == nullptr && !caps.msix.present && !caps.msi.present) return nullptr;  // none
  auto notify = rt::MemoryAllocNotify(memory);
  if (!notify.ok()) return "no memory for a Notify";
  out.notify = notify.value();
  if (intx != nullptr) {
    const uint64_t flags = intx->active_low ? uapi::kIrqGsiActiveLow : 0;
    auto line = rt::IrqGsiBind(irq_authority, memory, intx->gsi, flags, out.notify, kInterruptBit);
    if (!line.ok()) {
      rt::Printf("pcid: IrqGsiBind(GSI %u): status %u\n", intx->gsi,
                 static_cast<unsigned>(line.error()));
      return "INTx line not bindable (bound to another claim: lines are not shared)";
    }
    out.irq_line = line.value();
    const uint16_t command = config.Read16(function.address, pci::kRegCommand);
    config.Write16(function.address, pci::kRegCommand,
                   static_cast<uint16_t>(command & ~pci::kCommandInterruptDisable));
    out.interrupt = InterruptKind::kIntx;
    return nullptr;
  }
  uapi::MsiMessage message{};
  auto line = rt::IrqMsiBind(irq_authority, memory, out.notify, kInterruptBit, &message);
  if (!line.ok()) {
    rt::Printf("pcid: IrqMsiBind: status %u\n", static_cast<unsigned>(line.error()));
    return "no MSI vector";
  }
  out.irq_line = line.value();
  if (caps.msix.present) {
    auto table = pci::LocateMsixTable(function);
    if (!table.ok()) return "MSI-X table not locatable";
    auto mapped = mapper.MapPhys(table.value().phys, table.value().size, &out.msix_frame);
    if (!mapped.ok()) return "MSI-X table not mappable";
    out.msix_page = reinterpret_cast<uint64_t>(mapped.value()) & ~uint64_t{0xfff};
    pci::MsixTable entries(reinterpret_cast<volatile uint32_t*>(mapped.value()),
                           caps.msix.table_size);
    // Every entry raises the one vector (drivers here use entry 0 for everything).
    for (uint16_t v = 0; v < caps.msix.table_size; ++v) {
      if (!entries.Program(v, message.address, static_cast<uint32_t>(message.data), false).ok()) {
        return "MSI-X entry not programmable";
      }
    }
    pci::EnableMsix(config, function.address, caps.msix);
    out.interrupt = InterruptKind::kMsix;
  } else {
    if (!pci::ProgramMsi(config, function.address, caps.msi, message.address,
                         static_cast<uint16_t>(message.data), 0)
             .ok()) {
      return "MSI not programmable";
    }
    out.interrupt = InterruptKind::kMsi;
  }
  return nullptr;
}

void QuiesceFunction(pci::ConfigSpace& config, uint32_t vmem, Claim& claim) {
  const pci::Function& function = claim.function;
  if (claim.interrupt == InterruptKind::kMsix) {
    pci::DisableMsix(config, function.address, function.capabilities.msix);
  } else if (claim.interrupt == InterruptKind::kMsi) {
    pci::DisableMsi(config, function.address, function.capabilities.msi);
  }
  const uint16_t command = config.Read16(function.address, pci::kRegCommand);
  uint16_t quiet =
      static_cast<uint16_t>(command & ~(pci::kCommandMemorySpace | pci::kCommandBusMaster));
  // A level line the device still asserts would stay masked for the next claimant's binding:
  // stop the device from driving INTx at all.
  if (claim.interrupt == InterruptKind::kIntx) quiet |= pci::kCommandInterruptDisable;
  config.Write16(function.address, pci::kRegCommand, quiet);
  if (claim.msix_frame != 0) {
    (void)rt::VmemUnmap(vmem, claim.msix_page);
    (void)rt::CapDelete(claim.msix_frame);
    claim.msix_frame = 0;
  }
  claim.interrupt = InterruptKind::kNone;
}

}  // namespace hiillos::pcid
