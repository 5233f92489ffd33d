// bootloader/qemu_fw_cfg.h — reads a named file from QEMU's fw_cfg device (I/O ports
// 0x510/0x511), so `run_qemu --append` can pass a kernel command line without rebuilding the ISO.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"

namespace hiillos::loader {

// Copies fw_cfg file `name` (e.g. "opt/hiillos/cmdline") into out. Returns its size, or -1 when
// not running under a hypervisor, no fw_cfg device answers, or there is no such file. A file
// larger than `capacity` is truncated to `capacity` bytes (the size returned is the full size).
int64_t ReadFwCfgFile(const char* name, uint8_t* out, size_t capacity);

// CPUID.1:ECX[31]: running under a hypervisor (QEMU's devices may then be there).
bool UnderHypervisor();

// The command line QEMU passes as fw_cfg file opt/hiillos/cmdline (`run_qemu.sh --append`),
// normalised like cmdline.txt (CopyCommandLine) into `out`: true when the file is there and was
// copied, false when there is none; an error message when it is too long or not text.
Result<bool, const char*> CommandLineFromFwCfg(char* out, size_t out_size);

}  // namespace hiillos::loader
