// bootloader/boot_volume.h — reading whole files from the volume the loader was started from.
#pragma once

#include <stdint.h>

#include "bootloader/loader_error.h"
#include "bootloader/uefi.h"
#include "uapi/boot_info.h"

namespace hiillos::loader {

// A file read into page-aligned memory; bytes past `size` up to the page end are zero.
struct LoadedFile {
  uint64_t base = 0;  // physical (= firmware virtual) address; 0 when an optional file is absent
  uint64_t size = 0;  // exact file size in bytes
  uint64_t pages = 0;
};

// The loader's own volume (LoadedImage → DeviceHandle → SimpleFileSystem). Holds the open root
// directory; closed by the destructor.
class BootVolume {
 public:
  static EfiResult<BootVolume> Open(EFI_HANDLE image, EFI_BOOT_SERVICES* boot_services);
  BootVolume(BootVolume&& other) : root_(other.root_) { other.root_ = nullptr; }
  BootVolume(const BootVolume&) = delete;
  ~BootVolume();

  // Reads `path` (e.g. L"\\hiillos\\kernel.elf") once into fresh pages labelled `kind`.
  // A missing file is an error (printed).
  EfiResult<LoadedFile> Read(const wchar_t* path, uapi::MemoryKind kind);
  // As Read, but a missing file gives an empty LoadedFile and no message.
  EfiResult<LoadedFile> ReadOptional(const wchar_t* path, uapi::MemoryKind kind);

 private:
  explicit BootVolume(EFI_FILE_HANDLE root) : root_(root) {}
  EfiResult<LoadedFile> ReadFile(const wchar_t* path, uapi::MemoryKind kind, bool optional);

  EFI_FILE_HANDLE root_;
};

}  // namespace hiillos::loader
