// bootloader/boot_info_writer.cc — BootInfo header, modules and command line.
#include "bootloader/boot_info_writer.h"

#include "bootloader/console.h"
#include "bootloader/qemu_fw_cfg.h"

#include "bootloader/command_line.h"

namespace hiillos::loader {

void InitBootInfo(uapi::BootInfo& info, const LoadedKernel& kernel, uint64_t tsc_loader_start) {
  info.magic = uapi::kBootInfoMagic;
  info.version = uapi::kBootInfoVersion;
  info.size = sizeof(uapi::BootInfo);
  info.hhdm_base = uapi::kHhdmBase;
  info.kernel_phys_base = kernel.phys_base;
  info.kernel_phys_size = kernel.size;
  info.kernel_virt_base = kernel.virt_base;
  info.tsc_loader_start = tsc_loader_start;
}

EfiResult<void> AddModule(uapi::BootInfo& info, const char* name, const LoadedFile& file) {
  if (info.module_count == uapi::kMaxModules) {
    return Fail(EFI_OUT_OF_RESOURCES, "too many modules (adding %s)", name);
  }
  uapi::Module& module = info.modules[info.module_count++];
  module.base = file.base;
  module.size = file.size;
  size_t i = 0;
  for (; name[i] != '\0' && i + 1 < uapi::kModuleNameSize; ++i) module.name[i] = name[i];
  module.name[i] = '\0';
  return Ok<EFI_STATUS>();
}

EfiResult<void> SetCommandLine(uapi::BootInfo& info, const LoadedFile& file) {
  info.command_line[0] = '\0';
  if (file.base == 0) return Ok<EFI_STATUS>();
  auto copied = CopyCommandLine(reinterpret_cast<const uint8_t*>(file.base), file.size,
                                info.command_line, uapi::kCommandLineSize);
  if (!copied.ok()) {
    return Fail(EFI_INVALID_PARAMETER, "\\hiillos\\cmdline.txt: %s (at most %lu bytes of text)",
                CommandLineErrorString(copied.error()), uapi::kCommandLineSize - 1);
  }
  return Ok<EFI_STATUS>();
}

EfiResult<void> OverrideCommandLineFromFwCfg(uapi::BootInfo& info) {
  auto applied = CommandLineFromFwCfg(info.command_line, uapi::kCommandLineSize);
  if (!applied.ok()) {
    return Fail(EFI_INVALID_PARAMETER, "fw_cfg opt/hiillos/cmdline: %s", applied.error());
  }
  if (applied.value()) {
    console::Print("hiillos loader: command line from QEMU fw_cfg: \"%s\"\n", info.command_line);
  }
  return Ok<EFI_STATUS>();
}

}  // namespace hiillos::loader
