// uapi/boot_info.h — the loader → kernel hand-off record (boot protocol v1, docs/boot-protocol.md).
//
// The loader fills one BootInfo in memory it allocates, maps it in the HHDM and passes its
// HHDM virtual address in %rdi to the kernel entry point. Every address inside is physical
// unless its name says otherwise. Layout is fixed-width and C-compatible.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace hiillos::uapi {

inline constexpr uint64_t kBootInfoMagic = 0x3153'4f4c'4c49'4948ull;  // "HIILLOS1" little-endian
inline constexpr uint32_t kBootInfoVersion = 1;

// Virtual layout fixed by the protocol.
inline constexpr uint64_t kHhdmBase = 0xffff'8000'0000'0000ull;    // phys p is at kHhdmBase + p
inline constexpr uint64_t kKernelBase = 0xffff'ffff'8000'0000ull;  // -mcmodel=kernel window
inline constexpr uint64_t kKernelStackSize = 64 * 1024;            // boot stack given to kernel

enum class MemoryKind : uint32_t {
  kUsable = 1,             // free RAM
  kReserved = 2,           // firmware-reserved, never touch
  kAcpiReclaimable = 3,    // ACPI tables; usable once parsed
  kAcpiNvs = 4,            // ACPI non-volatile storage, never touch
  kLoaderReclaimable = 5,  // UEFI boot-services code/data and the loader image: free after hand-off
  kBootData = 6,           // BootInfo, boot stack, boot page tables: kernel frees when done
  kKernel = 7,             // the kernel image's loaded segments
  kModule = 8,             // root.elf, initfs.tar.zst (see BootInfo::modules)
  kFramebuffer = 9,        // GOP framebuffer
  kMmio = 10,              // memory-mapped I/O reported by the firmware
  kUnusable = 11,          // bad or unaccepted memory
};

struct MemoryRange {
  uint64_t base;  // page aligned
  uint64_t size;  // multiple of 4 KiB
  MemoryKind kind;
  uint32_t reserved0;
};
static_assert(sizeof(MemoryRange) == 24);

enum class PixelFormat : uint32_t {
  kNone = 0,  // no framebuffer
  kRgbx = 1,  // byte 0 red
  kBgrx = 2,  // byte 0 blue
};

struct Framebuffer {
  uint64_t base;  // physical
  uint64_t size;  // bytes
  uint32_t width;
  uint32_t height;
  uint32_t pitch;  // bytes per scan line
  PixelFormat format;
};
static_assert(sizeof(Framebuffer) == 32);

inline constexpr size_t kModuleNameSize = 32;
struct Module {
  uint64_t base;               // physical, page aligned
  uint64_t size;               // bytes (exact file size)
  char name[kModuleNameSize];  // NUL-terminated, e.g. "root.elf", "initfs.tar.zst"
};
static_assert(sizeof(Module) == 48);

inline constexpr size_t kMaxMemoryRanges = 256;
inline constexpr size_t kMaxModules = 4;
inline constexpr size_t kCommandLineSize = 256;

struct BootInfo {
  uint64_t magic;    // kBootInfoMagic
  uint32_t version;  // kBootInfoVersion
  uint32_t size;     // sizeof(BootInfo)

  uint64_t hhdm_base;         // kHhdmBase
  uint64_t kernel_phys_base;  // lowest physical address of the loaded kernel image
  uint64_t kernel_phys_size;
  uint64_t kernel_virt_base;  // link address matching kernel_phys_base
  uint64_t page_table_root;   // physical address of the PML4 the kernel starts with
  uint64_t acpi_rsdp;         // physical address of the RSDP, 0 if none
  uint64_t tsc_loader_start;  // TSC when the loader started
  uint64_t tsc_handoff;       // TSC just before jumping to the kernel

  Framebuffer framebuffer;

  uint32_t memory_range_count;
  uint32_t module_count;
  MemoryRange memory_map[kMaxMemoryRanges];  // sorted by base, non-overlapping, merged
  Module modules[kMaxModules];
  char command_line[kCommandLineSize];  // NUL-terminated, may be empty
};
static_assert(offsetof(BootInfo, magic) == 0);
static_assert(offsetof(BootInfo, hhdm_base) == 16);
static_assert(offsetof(BootInfo, framebuffer) == 80);
static_assert(offsetof(BootInfo, memory_range_count) == 112);
static_assert(offsetof(BootInfo, memory_map) == 120);
static_assert(sizeof(BootInfo) == 120 + 24 * kMaxMemoryRanges + 48 * kMaxModules + 256);
static_assert(sizeof(BootInfo) % 8 == 0);

}  // namespace hiillos::uapi
