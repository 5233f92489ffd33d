// bootloader/efi_main.cc — the loader's entry point and the order of its steps.
//
// Files → kernel validation and loading → BootInfo → page tables → ExitBootServices → kernel.
// Every failing step has printed its message; efi_main returns its status to the firmware.
#include "bootloader/boot_info_writer.h"
#include "bootloader/boot_page_tables.h"
#include "bootloader/boot_volume.h"
#include "bootloader/console.h"
#include "bootloader/cpu.h"
#include "bootloader/firmware_memory_map.h"
#include "bootloader/firmware_tables.h"
#include "bootloader/handoff.h"
#include "bootloader/kernel_image.h"
#include "bootloader/page_allocator.h"
#include "lib/base/checked.h"

namespace hiillos::loader {
namespace {

using uapi::MemoryKind;

constexpr uint64_t k1G = 1ull << 30;
constexpr uint64_t kMinHhdmBytes = 4 * k1G;  // covers the LAPIC/IOAPIC/HPET MMIO below 4 GiB
constexpr uint64_t kBelow4G = 0xffff'ffffull;

struct BootFiles {
  LoadedKernel kernel;
  LoadedFile root;
  LoadedFile initfs;
  LoadedFile command_line;
};

EfiResult<void> CheckCpu() {
  if (!cpu::HasNoExecute())
    return Fail(EFI_UNSUPPORTED, "the CPU has no NX (execute-disable) support");
  if (cpu::ReadCr4() & cpu::kCr4La57) {
    return Fail(EFI_UNSUPPORTED, "5-level paging is active; hiillos uses 4-level paging");
  }
  return Ok<EFI_STATUS>();
}

// Reads and validates every file; the volume is closed again on return (before
// ExitBootServices).
EfiResult<BootFiles> LoadFiles(EFI_HANDLE image, EFI_BOOT_SERVICES* bs) {
  BootVolume volume = TRY(BootVolume::Open(image, bs));
  LoadedFile kernel_file =
      TRY(volume.Read(L"\\hiillos\\kernel.elf", MemoryKind::kLoaderReclaimable));
  LoadedKernel kernel = TRY(LoadKernel(kernel_file));
  pages::Free(kernel_file.base, kernel_file.pages);  // the segments are copied out
  LoadedFile root = TRY(volume.Read(L"\\hiillos\\root.elf", MemoryKind::kModule));
  TRY(CheckUserProgram(root, "root.elf"));
  LoadedFile initfs = TRY(volume.Read(L"\\hiillos\\initfs.tar.zst", MemoryKind::kModule));
  LoadedFile command_line =
      TRY(volume.ReadOptional(L"\\hiillos\\cmdline.txt", MemoryKind::kLoaderReclaimable));
  return BootFiles{kernel, root, initfs, command_line};
}

EfiResult<void> Boot(EFI_HANDLE image, EFI_SYSTEM_TABLE* st, uint64_t tsc_start) {
  EFI_BOOT_SERVICES* bs = st->BootServices;
  console::Print("hiillos loader: starting\n");
  TRY(CheckCpu());
  BootFiles files = TRY(LoadFiles(image, bs));

  const uint64_t info_phys = TRY(pages::Allocate(
      {pages::PagesFor(sizeof(uapi::BootInfo)), MemoryKind::kBootData, "the BootInfo"}));
  auto& info = *reinterpret_cast<uapi::BootInfo*>(info_phys);
  const uint64_t stack_phys = TRY(pages::Allocate(
      {uapi::kKernelStackSize / kPageSize, MemoryKind::kBootData, "the kernel stack"}));
  // Loader code, not data: firmware may map loader data non-executable.
  const uint64_t trampoline = TRY(pages::Allocate(
      {1, MemoryKind::kBootData, "the hand-off trampoline", EfiLoaderCode, kBelow4G}));
  InstallTrampoline(trampoline);

  InitBootInfo(info, files.kernel, tsc_start);
  TRY(AddModule(info, "root.elf", files.root));
  TRY(AddModule(info, "initfs.tar.zst", files.initfs));
  TRY(SetCommandLine(info, files.command_line));
  if (files.command_line.base != 0) pages::Free(files.command_line.base, files.command_line.pages);
  TRY(OverrideCommandLineFromFwCfg(info));
  info.acpi_rsdp = FindRsdp(st);
  info.framebuffer = QueryFramebuffer(bs);

  MemoryMapBuffer map = TRY(AllocateMemoryMapBuffer(bs));
  uint64_t highest = TRY(HighestPhysicalAddress(bs, map));
  highest = Max(highest, info.framebuffer.base + info.framebuffer.size);
  uint64_t hhdm_bytes = 0;
  if (!AlignUp(Max(highest, kMinHhdmBytes), k1G, &hhdm_bytes)) {
    return Fail(EFI_UNSUPPORTED, "memory map reaches the top of the address space");
  }
  const BootMappings mappings{
      &files.kernel.image, files.kernel.phys_base, hhdm_bytes,
      cpu::HasGigabytePages() ? paging::PageSize::k1G : paging::PageSize::k2M, trampoline};
  info.page_table_root = TRY(BuildPageTables(mappings));

  console::Print(
      "hiillos loader: kernel %lu KiB at phys %#lx, entry %#lx; HHDM %lu GiB; "
      "framebuffer %ux%u; RSDP %#lx\n",
      files.kernel.size / 1024, files.kernel.phys_base, files.kernel.entry, hhdm_bytes / k1G,
      info.framebuffer.width, info.framebuffer.height, info.acpi_rsdp);
  console::Print("hiillos loader: exiting boot services\n");
  TRY(ExitBootServicesWithMemoryMap(image, bs, map, info.framebuffer, info));

  // From here on: serial only, no firmware.
  console::Print("hiillos loader: %u memory ranges, %u modules; entering the kernel\n",
                 info.memory_range_count, info.module_count);
  info.tsc_handoff = cpu::ReadTsc();
  HandOff({trampoline, info.page_table_root, uapi::kHhdmBase + stack_phys + uapi::kKernelStackSize,
           uapi::kHhdmBase + info_phys, files.kernel.entry});
}

}  // namespace
}  // namespace hiillos::loader

// Called by gnu-efi's crt0 (SysV ABI) after it applied the image's relocations.
extern "C" EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE* system_table) {
  using namespace hiillos::loader;
  const uint64_t tsc_start = cpu::ReadTsc();
  console::Init(system_table);
  pages::Init(system_table->BootServices);
  auto result = Boot(image, system_table, tsc_start);
  // Boot only returns on failure; the message is already printed.
  return result.ok() ? EFI_LOAD_ERROR : result.error();
}
