// kernel/arch/x86_64/pic.h — the legacy 8259A pair: remapped away from the exception vectors
// and masked for good (the IOAPIC delivers device interrupts instead).
#pragma once

#include <stdint.h>

namespace hiillos::arch {

// Boot CPU, once, interrupts off: reinitialises both PICs with vectors kVectorPicBase..+15 (so
// a stray IRQ can never look like an exception), masks all 16 lines, and installs handlers for
// the spurious IRQ 7 / IRQ 15 a masked PIC can still raise.
void PicRemapAndMask();

// Spurious PIC interrupts seen so far.
uint64_t PicSpuriousCount();

}  // namespace hiillos::arch
