// kernel/arch/x86_64/pic.cc — 8259A initialisation words (Intel 8259A data sheet, ICW1-ICW4).
#include "kernel/arch/x86_64/pic.h"

#include "kernel/arch/x86_64/idt.h"
#include "kernel/arch/x86_64/kernel_services.h"
#include "kernel/arch/x86_64/vectors.h"
#include "lib/base/atomic.h"
#include "lib/x86/port_io.h"

namespace hiillos::arch {
namespace {

constexpr uint16_t kMasterCommand = 0x20, kMasterData = 0x21;
constexpr uint16_t kSlaveCommand = 0xa0, kSlaveData = 0xa1;
constexpr uint8_t kIcw1Init = 0x11;      // edge triggered, cascade, ICW4 follows
constexpr uint8_t kIcw4Mode8086 = 0x01;  // 8086 mode, normal EOI
constexpr uint8_t kOcw3ReadIsr = 0x0b;   // next read of the command port returns the ISR
constexpr uint8_t kNonSpecificEoi = 0x20;

Atomic<uint64_t> g_spurious;

// A write to the unused POST port gives the old PICs time between initialisation words.
void IoDelay() {
  x86::Out8(0x80, 0);
}

// A masked PIC can still signal IRQ 7 (or 15) when a request goes away mid-acknowledge; the ISR
// bit is then clear. Such an interrupt gets no EOI, except that a spurious IRQ 15 was a real
// cascade interrupt for the master.
void SpuriousHandler(InterruptFrame& frame) {
  g_spurious.FetchAdd(1, MemoryOrder::kRelaxed);
  if (frame.vector == kVectorPicSpuriousSlave) {
    x86::Out8(kSlaveCommand, kOcw3ReadIsr);
    if ((x86::In8(kSlaveCommand) & 0x80) == 0) x86::Out8(kMasterCommand, kNonSpecificEoi);
  }
}

}  // namespace

void PicRemapAndMask() {
  x86::Out8(kMasterCommand, kIcw1Init);
  IoDelay();
  x86::Out8(kSlaveCommand, kIcw1Init);
  IoDelay();
  x86::Out8(kMasterData, kVectorPicBase);  // ICW2: vector base
  IoDelay();
  x86::Out8(kSlaveData, kVectorPicBase + 8);
  IoDelay();
  x86::Out8(kMasterData, 1u << 2);  // ICW3: slave on IRQ 2
  IoDelay();
  x86::Out8(kSlaveData, 2);  // ICW3: cascade identity
  IoDelay();
  x86::Out8(kMasterData, kIcw4Mode8086);
  IoDelay();
  x86::Out8(kSlaveData, kIcw4Mode8086);
  IoDelay();
  x86::Out8(kMasterData, 0xff);  // OCW1: mask everything
  x86::Out8(kSlaveData, 0xff);
  if (!SetInterruptHandler(kVectorPicSpuriousMaster, SpuriousHandler).ok() ||
      !SetInterruptHandler(kVectorPicSpuriousSlave, SpuriousHandler).ok()) {
    kernel_services::Panic("pic: spurious vectors already taken");
  }
}

uint64_t PicSpuriousCount() {
  return g_spurious.Load(MemoryOrder::kRelaxed);
}

}  // namespace hiillos::arch
