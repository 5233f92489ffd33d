// uapi/initial_caps.h — what the kernel gives the root process (the first user program, from
// the boot module "root.elf"): its capabilities at fixed handles, its initial registers and
// address-space layout (docs/syscalls.md, "The root process").
#pragma once

#include <stdint.h>

namespace hiillos::uapi {

// Capability handles of the root process, in the order the kernel inserts them.
inline constexpr uint32_t kRootProcessHandle = 1;  // itself (all rights)
inline constexpr uint32_t kRootVmemHandle = 2;     // its address space (all rights)
inline constexpr uint32_t kRootThreadHandle = 3;   // its first thread (all rights)
// All physical memory the kernel does not keep for itself, as a budget (all rights). The
// root's own objects (process, vmem, thread, page tables, image and stack frames, boot-info
// frame) are already charged to it.
inline constexpr uint32_t kRootMemoryHandle = 4;
// A read-only RAM frame holding a copy of the loader's BootInfo (uapi/boot_info.h): Read, Map,
// Clone, Transfer. Already mapped read-only at kRootBootInfoAddress.
inline constexpr uint32_t kRootBootInfoHandle = 5;
// The kernel log (ObjectType::kLog): Write, Clone, Transfer. The Log syscall needs it; the root
// hands it on (ProcessGiveCap, or a spawn's start capabilities) to whoever may print.
inline constexpr uint32_t kRootLogHandle = 6;
// The IRQ authority: an IrqLine not bound to any line, from which IrqLineBind makes one bound
// IrqLine per hardware line (docs/objects.md): Read, Write, Clone, Transfer.
inline constexpr uint32_t kRootIrqHandle = 7;
// Every x86 I/O port (0 .. kIoPortCount - 1) as one IoPortRange, from which IoPortRangeSplit
// derives sub-ranges: Read, Write, Clone, Transfer.
inline constexpr uint32_t kRootIoPortHandle = 8;
// The device-memory authority (ObjectType::kDeviceMemory): every physical range that is not RAM
// (MMIO, PCI ECAM and BARs, ACPI tables) except the kernel's own device registers.
// DeviceMemoryCreateFrame (kWrite) makes device frames from it; FrameDmaAddress (kRead) tells
// a driver the physical address of a RAM frame: Read, Write, Clone, Transfer.
inline constexpr uint32_t kRootDeviceMemoryHandle = 9;
// One frame per boot module other than root.elf, in BootInfo::modules order (e.g. the initfs
// archive), covering the module's pages: Read, Map, Clone, Transfer (not mapped).
inline constexpr uint32_t kRootFirstModuleHandle = 10;
// Then, if BootInfo::framebuffer.format != kNone, the framebuffer as a device frame (its pages,
// mapped uncached when mapped): Read, Write, Map, Clone, Transfer.
constexpr uint32_t RootFramebufferHandle(uint32_t module_frames) {
  return kRootFirstModuleHandle + module_frames;
}

// Address-space layout at entry.
inline constexpr uint64_t kRootBootInfoAddress = 0x0000'0000'0010'0000ull;  // 1 MiB, read-only
inline constexpr uint64_t kRootStackTop = 0x0000'7fff'ffff'f000ull;  // stack grows down from here
inline constexpr uint64_t kRootStackSize = 64 * 1024;                // read-write, zeroed

// Registers at entry (ELF entry point): rsp = kRootStackTop (16-byte aligned), rdi =
// kRootBootInfoAddress, rsi = the highest initial handle, rflags = IF; all others zero.

}  // namespace hiillos::uapi
