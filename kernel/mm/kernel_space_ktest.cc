// kernel/mm/kernel_space_ktest.cc — in-kernel tests of the kernel page tables.
#include "kernel/arch/address_space.h"
#include "kernel/mm/kernel_space.h"
#include "kernel/mm/pmm.h"
#include "kernel/test/ktest.h"

extern "C" char __text_start[], __rodata_start[], __data_start[];

namespace hiillos::mm {
namespace {

constexpr uint64_t kTestVirt = kKernelStackRegionBase + (1ull << 30);  // unused by anything else

KTEST(vmm, kernel_image_is_w_xor_x) {
  auto text = KernelTranslate(reinterpret_cast<uint64_t>(__text_start));
  auto rodata = KernelTranslate(reinterpret_cast<uint64_t>(__rodata_start));
  auto data = KernelTranslate(reinterpret_cast<uint64_t>(__data_start));
  KASSERT(text.ok() && rodata.ok() && data.ok());
  KEXPECT(text.value().attrs.executable && !text.value().attrs.writable);
  KEXPECT(!rodata.value().attrs.executable && !rodata.value().attrs.writable);
  KEXPECT(!data.value().attrs.executable && data.value().attrs.writable);
  KEXPECT(!text.value().attrs.user);
}

KTEST(vmm, map_translate_protect_unmap) {
  PmmStats before = GetPmmStats();
  auto page = AllocatePages(0, PageUse::kKernel);
  KASSERT(page.ok());
  KEXPECT(KernelMap(kTestVirt, page.value(), 0x1000, {.writable = true}).ok());
  auto t = KernelTranslate(kTestVirt + 0x123);
  KASSERT(t.ok());
  KEXPECT_EQ(t.value().phys, page.value() + 0x123);
  // The mapping really reaches the page: write through it, read through the HHDM.
  *reinterpret_cast<volatile uint64_t*>(kTestVirt) = 0x1234'5678'9abc'def0ull;
  KEXPECT_EQ(*static_cast<uint64_t*>(PhysToVirt(page.value())), 0x1234'5678'9abc'def0ull);
  // Mapping twice, W+X, and misaligned requests are refused.
  KEXPECT(KernelMap(kTestVirt, page.value(), 0x1000, {}).error() == paging::Error::kAlreadyMapped);
  KEXPECT(
      KernelMap(kTestVirt + 0x1000, page.value(), 0x1000, {.writable = true, .executable = true})
          .error() == paging::Error::kWriteAndExecute);
  KEXPECT(KernelMap(kTestVirt + 0x1800, page.value(), 0x1000, {}).error() ==
          paging::Error::kMisaligned);
  KEXPECT(KernelProtect(kTestVirt, 0x1000, {}).ok());
  auto protected_page = KernelTranslate(kTestVirt);
  KEXPECT(protected_page.ok() && !protected_page.value().attrs.writable);
  KEXPECT(KernelUnmap(kTestVirt, 0x1000).ok());
  KEXPECT(KernelTranslate(kTestVirt).error() == paging::Error::kNotMapped);
  KEXPECT(KernelUnmap(kTestVirt, 0x1000).error() == paging::Error::kNotMapped);
  KEXPECT(FreePages(page.value(), 0).ok());
  // Page-table pages used for the test mapping were freed again.
  PmmStats after = GetPmmStats();
  KEXPECT_EQ(after.used_pages[static_cast<unsigned>(PageUse::kPageTable)],
             before.used_pages[static_cast<unsigned>(PageUse::kPageTable)]);
  KEXPECT_EQ(after.free_pages, before.free_pages);
}

KTEST(vmm, cr3_is_the_kernel_root) {
  KEXPECT_EQ(arch::ActiveAddressSpaceRoot(), KernelPageTableRoot());
}

}  // namespace
}  // namespace hiillos::mm
