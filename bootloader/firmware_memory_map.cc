// bootloader/firmware_memory_map.cc — the firmware memory map and leaving boot services.
#include "bootloader/firmware_memory_map.h"

#include "bootloader/console.h"
#include "bootloader/efi_call.h"
#include "bootloader/page_allocator.h"
#include "lib/base/checked.h"

namespace hiillos::loader {
namespace {

// Descriptors of headroom: our own later allocations and frees split firmware ranges.
constexpr UINTN kSpareDescriptors = 64;
// Recorded allocations (page_allocator.cc's table) plus the framebuffer.
constexpr size_t kExtraInputs = 33;

EFI_STATUS GetMap(EFI_BOOT_SERVICES* bs, MemoryMapBuffer& buffer) {
  buffer.size = buffer.capacity;
  return efi::Call(bs->GetMemoryMap, &buffer.size,
                   reinterpret_cast<EFI_MEMORY_DESCRIPTOR*>(buffer.data), &buffer.key,
                   &buffer.descriptor_size, &buffer.descriptor_version);
}

const EFI_MEMORY_DESCRIPTOR& DescriptorAt(const MemoryMapBuffer& buffer, size_t i) {
  return *reinterpret_cast<const EFI_MEMORY_DESCRIPTOR*>(buffer.data + i * buffer.descriptor_size);
}

size_t DescriptorCount(const MemoryMapBuffer& buffer) {
  return buffer.size / buffer.descriptor_size;
}

uint64_t DescriptorBytes(const EFI_MEMORY_DESCRIPTOR& d) {
  uint64_t bytes = 0;
  return CheckedMul<uint64_t>(d.NumberOfPages, kPageSize, &bytes) ? bytes : ~0ull;
}

// Runs between GetMemoryMap and ExitBootServices: no allocation, no firmware calls.
Result<uint32_t, MemoryMapError> ConvertMap(const MemoryMapBuffer& buffer,
                                            const uapi::Framebuffer& framebuffer,
                                            uapi::BootInfo& info) {
  size_t count = 0;
  const size_t descriptors = DescriptorCount(buffer);
  for (size_t i = 0; i < descriptors && count < buffer.max_inputs; ++i) {
    const EFI_MEMORY_DESCRIPTOR& d = DescriptorAt(buffer, i);
    buffer.inputs[count++] = {d.PhysicalStart, DescriptorBytes(d), KindFromUefiType(d.Type)};
  }
  for (size_t i = 0; i < pages::AllocationCount() && count < buffer.max_inputs; ++i) {
    const pages::Allocation& a = pages::AllocationAt(i);
    buffer.inputs[count++] = {a.base, a.pages * kPageSize, a.kind};
  }
  if (framebuffer.format != uapi::PixelFormat::kNone && count < buffer.max_inputs) {
    buffer.inputs[count++] = {framebuffer.base, framebuffer.size, uapi::MemoryKind::kFramebuffer};
  }
  return BuildMemoryMap(buffer.inputs, count, buffer.scratch, 2 * buffer.max_inputs,
                        info.memory_map, uapi::kMaxMemoryRanges);
}

}  // namespace

EfiResult<MemoryMapBuffer> AllocateMemoryMapBuffer(EFI_BOOT_SERVICES* bs) {
  MemoryMapBuffer buffer;
  EFI_STATUS status = GetMap(bs, buffer);  // capacity 0: asks for the size
  if (status != EFI_BUFFER_TOO_SMALL) return Fail(status, "GetMemoryMap did not report its size");
  if (buffer.descriptor_size < sizeof(EFI_MEMORY_DESCRIPTOR)) {
    return Fail(EFI_UNSUPPORTED, "memory descriptor size %lu too small", buffer.descriptor_size);
  }
  buffer.capacity = buffer.size + kSpareDescriptors * buffer.descriptor_size;
  buffer.max_inputs = buffer.capacity / buffer.descriptor_size + kExtraInputs;
  const uint64_t inputs_offset = (buffer.capacity + 15) & ~15ull;
  const uint64_t scratch_offset = inputs_offset + buffer.max_inputs * sizeof(RangeInput);
  const uint64_t bytes = scratch_offset + 2 * buffer.max_inputs * sizeof(uint64_t);
  uint64_t base = TRY(pages::Allocate(
      {pages::PagesFor(bytes), uapi::MemoryKind::kLoaderReclaimable, "the memory map"}));
  buffer.data = reinterpret_cast<uint8_t*>(base);
  buffer.inputs = reinterpret_cast<RangeInput*>(base + inputs_offset);
  buffer.scratch = reinterpret_cast<uint64_t*>(base + scratch_offset);
  return buffer;
}

EfiResult<uint64_t> HighestPhysicalAddress(EFI_BOOT_SERVICES* bs, MemoryMapBuffer& buffer) {
  EFI_STATUS status = GetMap(bs, buffer);
  if (EFI_ERROR(status)) return Fail(status, "GetMemoryMap failed");
  uint64_t highest = 0;
  for (size_t i = 0; i < DescriptorCount(buffer); ++i) {
    const EFI_MEMORY_DESCRIPTOR& d = DescriptorAt(buffer, i);
    uint64_t end = 0;
    if (!CheckedAdd<uint64_t>(d.PhysicalStart, DescriptorBytes(d), &end)) end = ~0ull;
    highest = Max(highest, end);
  }
  return highest;
}

EfiResult<void> ExitBootServicesWithMemoryMap(EFI_HANDLE image, EFI_BOOT_SERVICES* bs,
                                              MemoryMapBuffer& buffer,
                                              const uapi::Framebuffer& framebuffer,
                                              uapi::BootInfo& info) {
  for (int attempt = 0;; ++attempt) {
    EFI_STATUS status = GetMap(bs, buffer);
    if (EFI_ERROR(status)) {
      // A failed ExitBootServices may have stopped ConOut: serial only from the retry on.
      if (attempt > 0) console::DetachFirmware();
      return Fail(status, "GetMemoryMap before ExitBootServices failed (attempt %d)", attempt + 1);
    }
    auto converted = ConvertMap(buffer, framebuffer, info);
    if (!converted.ok()) {
      if (attempt > 0) console::DetachFirmware();
      return Fail(EFI_BUFFER_TOO_SMALL, "%s", MemoryMapErrorString(converted.error()));
    }
    info.memory_range_count = converted.value();
    status = efi::Call(bs->ExitBootServices, image, buffer.key);
    if (!EFI_ERROR(status)) {
      console::DetachFirmware();
      return Ok<EFI_STATUS>();
    }
    if (status != EFI_INVALID_PARAMETER || attempt > 0) {
      console::DetachFirmware();
      return Fail(status, "ExitBootServices failed (attempt %d)", attempt + 1);
    }
  }
}

}  // namespace hiillos::loader
