// bootloader/kernel_image.cc — ELF validation (lib/elf) and kernel segment loading.
#include "bootloader/kernel_image.h"

#include "bootloader/console.h"
#include "bootloader/page_allocator.h"
#include "lib/elf/parse.h"

namespace hiillos::loader {

EfiResult<LoadedKernel> LoadKernel(const LoadedFile& file) {
  auto parsed =
      elf::Parse(reinterpret_cast<const uint8_t*>(file.base), file.size, elf::kKernelPolicy);
  if (!parsed.ok()) {
    return Fail(EFI_LOAD_ERROR, "invalid kernel.elf: %s", elf::ErrorString(parsed.error()));
  }
  const elf::Image& image = parsed.value();
  LoadedKernel kernel{0, image.page_base(), image.page_end() - image.page_base(), image.entry(),
                      image};
  // Zeroed pages: bss and the gaps between segments need no further work.
  kernel.phys_base = TRY(
      pages::Allocate({kernel.size / kPageSize, uapi::MemoryKind::kKernel, "the kernel image"}));
  for (const elf::Segment& segment : image) {
    void* target = reinterpret_cast<void*>(kernel.phys_base + (segment.vaddr - kernel.virt_base));
    const void* source = reinterpret_cast<const void*>(file.base + segment.offset);
    __builtin_memcpy(target, source, segment.filesz);
    console::Print("hiillos loader: kernel segment %016lx..%016lx %c%c%c\n", segment.vaddr,
                   segment.vaddr + segment.memsz, segment.readable() ? 'r' : '-',
                   segment.writable() ? 'w' : '-', segment.executable() ? 'x' : '-');
  }
  return kernel;
}

EfiResult<void> CheckUserProgram(const LoadedFile& file, const char* name) {
  auto parsed =
      elf::Parse(reinterpret_cast<const uint8_t*>(file.base), file.size, elf::kUserPolicy);
  if (!parsed.ok()) {
    return Fail(EFI_LOAD_ERROR, "invalid %s: %s", name, elf::ErrorString(parsed.error()));
  }
  return Ok<EFI_STATUS>();
}

}  // namespace hiillos::loader
