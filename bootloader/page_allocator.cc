// bootloader/page_allocator.cc — AllocatePages with a record of what each allocation holds.
#include "bootloader/page_allocator.h"

#include "bootloader/efi_call.h"

namespace hiillos::loader::pages {
namespace {

constexpr size_t kMaxAllocations = 32;

EFI_BOOT_SERVICES* bs = nullptr;
Allocation allocations[kMaxAllocations];
size_t allocation_count = 0;

}  // namespace

void Init(EFI_BOOT_SERVICES* boot_services) {
  bs = boot_services;
}

EfiResult<uint64_t> Allocate(const Request& request) {
  bool recorded = request.kind != uapi::MemoryKind::kLoaderReclaimable;
  if (recorded && allocation_count == kMaxAllocations) {
    return Fail(EFI_OUT_OF_RESOURCES, "too many allocations (allocating %s)", request.what);
  }
  if (request.pages == 0)
    return Fail(EFI_INVALID_PARAMETER, "empty allocation for %s", request.what);
  EFI_PHYSICAL_ADDRESS address = request.max_address;
  EFI_ALLOCATE_TYPE how =
      request.max_address == kAnyAddress ? AllocateAnyPages : AllocateMaxAddress;
  EFI_STATUS status = efi::Call(bs->AllocatePages, how, request.type, request.pages, &address);
  if (EFI_ERROR(status)) {
    return Fail(status, "out of memory allocating %s (%lu KiB)", request.what,
                request.pages * (kPageSize / 1024));
  }
  __builtin_memset(reinterpret_cast<void*>(address), 0, request.pages * kPageSize);
  if (recorded) allocations[allocation_count++] = {address, request.pages, request.kind};
  return static_cast<uint64_t>(address);
}

void Free(uint64_t base, uint64_t pages) {
  efi::Call(bs->FreePages, base, pages);
}

size_t AllocationCount() {
  return allocation_count;
}
const Allocation& AllocationAt(size_t i) {
  return allocations[i];
}

}  // namespace hiillos::loader::pages
