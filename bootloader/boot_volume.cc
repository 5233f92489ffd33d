// bootloader/boot_volume.cc — SimpleFileSystem access to the loader's boot volume.
#include "bootloader/boot_volume.h"

#include "bootloader/console.h"
#include "bootloader/efi_call.h"
#include "bootloader/page_allocator.h"

namespace hiillos::loader {
namespace {

// UEFI paths are CHAR16; messages are ASCII. Non-ASCII characters print as '?'.
struct NarrowPath {
  explicit NarrowPath(const wchar_t* path) {
    size_t i = 0;
    for (; path[i] != 0 && i + 1 < sizeof(text); ++i) {
      text[i] = path[i] < 0x80 ? static_cast<char>(path[i]) : '?';
    }
    text[i] = '\0';
  }
  char text[128];
};

// Closes an EFI_FILE when it goes out of scope.
class FileCloser {
 public:
  explicit FileCloser(EFI_FILE_HANDLE file) : file_(file) {}
  ~FileCloser() { efi::Call(file_->Close, file_); }

 private:
  EFI_FILE_HANDLE file_;
};

}  // namespace

EfiResult<BootVolume> BootVolume::Open(EFI_HANDLE image, EFI_BOOT_SERVICES* bs) {
  EFI_GUID loaded_image_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
  EFI_LOADED_IMAGE* loaded_image = nullptr;
  EFI_STATUS status = efi::Call(bs->HandleProtocol, image, &loaded_image_guid,
                                reinterpret_cast<void**>(&loaded_image));
  if (EFI_ERROR(status)) return Fail(status, "no LoadedImage protocol on the loader's handle");
  EFI_GUID file_system_guid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;
  EFI_SIMPLE_FILE_SYSTEM_PROTOCOL* file_system = nullptr;
  status = efi::Call(bs->HandleProtocol, loaded_image->DeviceHandle, &file_system_guid,
                     reinterpret_cast<void**>(&file_system));
  if (EFI_ERROR(status)) return Fail(status, "the boot device has no file system");
  EFI_FILE_HANDLE root = nullptr;
  status = efi::Call(file_system->OpenVolume, file_system, &root);
  if (EFI_ERROR(status)) return Fail(status, "cannot open the boot volume");
  return BootVolume(root);
}

BootVolume::~BootVolume() {
  if (root_ != nullptr) efi::Call(root_->Close, root_);
}

EfiResult<LoadedFile> BootVolume::Read(const wchar_t* path, uapi::MemoryKind kind) {
  return ReadFile(path, kind, false);
}

EfiResult<LoadedFile> BootVolume::ReadOptional(const wchar_t* path, uapi::MemoryKind kind) {
  return ReadFile(path, kind, true);
}

EfiResult<LoadedFile> BootVolume::ReadFile(const wchar_t* path, uapi::MemoryKind kind,
                                           bool optional) {
  NarrowPath name(path);
  EFI_FILE_HANDLE file = nullptr;
  EFI_STATUS status = efi::Call(root_->Open, root_, &file, efi::Wide(path),
                                static_cast<UINT64>(EFI_FILE_MODE_READ), static_cast<UINT64>(0));
  if (status == EFI_NOT_FOUND && optional) return LoadedFile{};
  if (EFI_ERROR(status)) return Fail(status, "cannot open %s", name.text);
  FileCloser closer(file);

  // EFI_FILE_INFO is followed by the file name; 512 bytes fit any name we use.
  uint64_t info_buffer[64];
  UINTN info_size = sizeof(info_buffer);
  EFI_GUID info_guid = EFI_FILE_INFO_ID;
  status = efi::Call(file->GetInfo, file, &info_guid, &info_size, static_cast<void*>(info_buffer));
  if (EFI_ERROR(status)) return Fail(status, "cannot get the size of %s", name.text);
  const auto* info = reinterpret_cast<const EFI_FILE_INFO*>(info_buffer);
  if (info->Attribute & EFI_FILE_DIRECTORY) {
    return Fail(EFI_INVALID_PARAMETER, "%s is a directory", name.text);
  }
  const uint64_t size = info->FileSize;
  LoadedFile loaded;
  loaded.size = size;
  loaded.pages = size == 0 ? 1 : pages::PagesFor(size);
  loaded.base = TRY(pages::Allocate({loaded.pages, kind, name.text}));

  uint64_t done = 0;
  while (done < size) {
    UINTN chunk = size - done;
    status = efi::Call(file->Read, file, &chunk, reinterpret_cast<void*>(loaded.base + done));
    if (EFI_ERROR(status)) return Fail(status, "cannot read %s", name.text);
    if (chunk == 0) {
      return Fail(EFI_END_OF_FILE, "%s: short read (%lu of %lu bytes)", name.text, done, size);
    }
    done += chunk;
  }
  console::Print("hiillos loader: read %s (%lu bytes)\n", name.text, size);
  return loaded;
}

}  // namespace hiillos::loader
