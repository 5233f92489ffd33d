// kernel/arch/x86_64/idt.cc — IDT gates (SDM Vol.3A §6.14.1) and the handler table.
#include "kernel/arch/x86_64/idt.h"

#include "kernel/arch/x86_64/exception_info.h"
#include "kernel/arch/x86_64/segments.h"
#include "lib/base/atomic.h"

// interrupt_entry.S: the entry stub of each vector.
extern "C" const uint64_t InterruptStubTable[256];

namespace hiillos::arch {
namespace {

// 64-bit interrupt gate (SDM Vol.3A Figure 6-8).
struct IdtGate {
  uint16_t offset_low;
  uint16_t selector;
  uint8_t ist;        // bits 0-2: IST index, 0 = no stack switch
  uint8_t type_attr;  // P | DPL | 0 | type (0xe: 64-bit interrupt gate, IF cleared on entry)
  uint16_t offset_mid;
  uint32_t offset_high;
  uint32_t reserved;
};
static_assert(sizeof(IdtGate) == 16);

struct [[gnu::packed]] IdtPointer {
  uint16_t limit;
  uint64_t base;
};

constexpr uint8_t kInterruptGatePresentDpl0 = 0x8e;
// #BP is the one gate user code may raise with INT3 (SDM Vol.3A §6.12.1.1: a software interrupt
// through a gate with DPL < CPL is a #GP instead). Every other INT n from ring 3 stays #GP.
constexpr uint8_t kInterruptGatePresentDpl3 = 0xee;

alignas(4096) IdtGate g_idt[kVectorCount];
bool g_idt_built;
Atomic<InterruptHandler> g_handlers[kVectorCount];

void BuildIdt() {
  for (uint32_t vector = 0; vector < kVectorCount; ++vector) {
    uint64_t stub = InterruptStubTable[vector];
    IdtGate& gate = g_idt[vector];
    gate.offset_low = stub & 0xffff;
    gate.selector = kKernelCodeSelector;
    gate.ist = IstFor(vector);
    gate.type_attr =
        vector == kVectorBreakpoint ? kInterruptGatePresentDpl3 : kInterruptGatePresentDpl0;
    gate.offset_mid = (stub >> 16) & 0xffff;
    gate.offset_high = static_cast<uint32_t>(stub >> 32);
    gate.reserved = 0;
  }
}

}  // namespace

uint8_t IstFor(uint64_t vector) {
  switch (vector) {
    case kVectorDoubleFault:
      return kIstDoubleFault;
    case kVectorNmi:
      return kIstNmi;
    case kVectorMachineCheck:
      return kIstMachineCheck;
    case kVectorPageFault:
      return kIstPageFault;
    default:
      return 0;
  }
}

Result<void, InterruptError> SetInterruptHandler(uint8_t vector, InterruptHandler handler) {
  if (vector < kFirstInterruptVector) return Err{InterruptError::kReservedVector};
  InterruptHandler expected = nullptr;
  if (!g_handlers[vector].CompareExchange(expected, handler, MemoryOrder::kAcqRel,
                                          MemoryOrder::kAcquire)) {
    return Err{InterruptError::kAlreadyRegistered};
  }
  return Ok<InterruptError>();
}

Result<void, InterruptError> ClearInterruptHandler(uint8_t vector) {
  if (vector < kFirstInterruptVector) return Err{InterruptError::kReservedVector};
  if (g_handlers[vector].Exchange(nullptr, MemoryOrder::kAcqRel) == nullptr) {
    return Err{InterruptError::kNotRegistered};
  }
  return Ok<InterruptError>();
}

InterruptHandler GetInterruptHandler(uint8_t vector) {
  return g_handlers[vector].Load(MemoryOrder::kAcquire);
}

void IdtLoad() {
  if (!g_idt_built) {
    BuildIdt();
    g_idt_built = true;
  }
  IdtPointer pointer{sizeof(g_idt) - 1, reinterpret_cast<uint64_t>(&g_idt[0])};
  asm volatile("lidt %0" : : "m"(pointer) : "memory");
}

uint64_t IdtAddress() {
  return reinterpret_cast<uint64_t>(&g_idt[0]);
}

}  // namespace hiillos::arch
