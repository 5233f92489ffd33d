// bootloader/qemu_fw_cfg.h — reads a named file from QEMU's fw_cfg device (I/O ports
// 0x510/0x511), so `run_qemu --append` can pass a kernel command line without rebuilding the ISO.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace hiillos::loader {

// Copies fw_cfg file `name` (e.g. "opt/hiillos/cmdline") into out. Returns its size, or -1 when
// not running under a hypervisor, no fw_cfg device answers, or there is no such file. A file
// larger than `capacity` is truncated to `capacity` bytes (the size returned is the full size).
int64_t ReadFwCfgFile(const char* name, uint8_t* out, size_t capacity);

}  // namespace hiillos::loader
