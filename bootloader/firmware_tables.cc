// bootloader/firmware_tables.cc — RSDP lookup and GOP framebuffer description.
#include "bootloader/firmware_tables.h"

#include "bootloader/efi_call.h"

namespace hiillos::loader {
namespace {

bool SameGuid(const EFI_GUID& a, const EFI_GUID& b) {
  // By hand: gnu-efi's libraries provide memcpy and memset but no memcmp.
  if (a.Data1 != b.Data1 || a.Data2 != b.Data2 || a.Data3 != b.Data3) return false;
  for (int i = 0; i < 8; ++i) {
    if (a.Data4[i] != b.Data4[i]) return false;
  }
  return true;
}

uint64_t FindConfigurationTable(const EFI_SYSTEM_TABLE* st, const EFI_GUID& guid) {
  for (UINTN i = 0; i < st->NumberOfTableEntries; ++i) {
    if (SameGuid(st->ConfigurationTable[i].VendorGuid, guid)) {
      return reinterpret_cast<uint64_t>(st->ConfigurationTable[i].VendorTable);
    }
  }
  return 0;
}

uapi::PixelFormat FormatOf(const EFI_GRAPHICS_OUTPUT_MODE_INFORMATION& info) {
  switch (info.PixelFormat) {
    case PixelRedGreenBlueReserved8BitPerColor:
      return uapi::PixelFormat::kRgbx;
    case PixelBlueGreenRedReserved8BitPerColor:
      return uapi::PixelFormat::kBgrx;
    case PixelBitMask: {
      const EFI_PIXEL_BITMASK& m = info.PixelInformation;
      if (m.GreenMask != 0x00ff00) return uapi::PixelFormat::kNone;
      if (m.RedMask == 0x0000ff && m.BlueMask == 0xff0000) return uapi::PixelFormat::kRgbx;
      if (m.RedMask == 0xff0000 && m.BlueMask == 0x0000ff) return uapi::PixelFormat::kBgrx;
      return uapi::PixelFormat::kNone;
    }
    default:  // PixelBltOnly: no linear framebuffer
      return uapi::PixelFormat::kNone;
  }
}

}  // namespace

uint64_t FindRsdp(const EFI_SYSTEM_TABLE* system_table) {
  EFI_GUID acpi20 = ACPI_20_TABLE_GUID;
  if (uint64_t rsdp = FindConfigurationTable(system_table, acpi20)) return rsdp;
  EFI_GUID acpi10 = ACPI_TABLE_GUID;
  return FindConfigurationTable(system_table, acpi10);
}

uapi::Framebuffer QueryFramebuffer(EFI_BOOT_SERVICES* bs) {
  uapi::Framebuffer none{0, 0, 0, 0, 0, uapi::PixelFormat::kNone};
  EFI_GUID gop_guid = EFI_GRAPHICS_OUTPUT_PROTOCOL_GUID;
  EFI_GRAPHICS_OUTPUT_PROTOCOL* gop = nullptr;
  EFI_STATUS status = efi::Call(bs->LocateProtocol, &gop_guid, static_cast<void*>(nullptr),
                                reinterpret_cast<void**>(&gop));
  if (EFI_ERROR(status) || gop == nullptr || gop->Mode == nullptr || gop->Mode->Info == nullptr) {
    return none;
  }
  const EFI_GRAPHICS_OUTPUT_PROTOCOL_MODE& mode = *gop->Mode;
  uapi::PixelFormat format = FormatOf(*mode.Info);
  if (format == uapi::PixelFormat::kNone || mode.FrameBufferBase == 0) return none;
  return uapi::Framebuffer{mode.FrameBufferBase,
                           mode.FrameBufferSize,
                           mode.Info->HorizontalResolution,
                           mode.Info->VerticalResolution,
                           mode.Info->PixelsPerScanLine * 4,
                           format};
}

}  // namespace hiillos::loader
