// bootloader/multiboot/multiboot_info_fuzzer.cc — the Multiboot information parser on arbitrary
// memory: the input is simulated physical memory from 0, the structure at a fixed offset.
#include <stddef.h>
#include <stdint.h>

#include "bootloader/multiboot/multiboot_info.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hiillos::loader;
  const PhysicalView memory(reinterpret_cast<uint64_t>(data), size);
  auto parsed = multiboot::Parse(memory, multiboot::kBootloaderMagic, size > 64 ? 64 : 0);
  if (parsed.ok()) {
    const multiboot::Info& info = parsed.value();
    for (uint32_t i = 0; i < info.module_count; ++i) {
      const multiboot::Module& module = info.modules[i];
      // A parsed module is inside memory: reading its bytes must be safe.
      if (module.end > module.start) {
        volatile uint8_t last = data[module.end - 1];
        (void)last;
      }
      (void)multiboot::FindModule(info, module.name);
    }
  }
  return 0;
}
