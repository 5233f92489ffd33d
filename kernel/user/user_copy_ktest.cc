// kernel/user/user_copy_ktest.cc — in-kernel tests of the user-copy helpers: good copies, and
// kBadAddress (never a panic) for kernel, non-canonical, unmapped and read-only targets.
#include "kernel/mm/kernel_space.h"
#include "kernel/mm/pmm.h"
#include "kernel/test/ktest.h"
#include "kernel/user/layout.h"
#include "kernel/user/user_copy.h"

namespace hiillos::user {
namespace {

constexpr uint64_t kUserTestVirt = 0x0000'1234'0000'0000ull;  // lower half, unused at boot

// A user-accessible page (in the kernel's own page tables' lower half) for the test's duration.
class UserPage {
 public:
  explicit UserPage(bool writable) {
    auto page = mm::AllocatePages(0, mm::PageUse::kKernel);
    if (!page.ok()) return;
    phys_ = page.value();
    __builtin_memset(mm::PhysToVirt(phys_), 0, kPageSize);
    mapped_ =
        mm::KernelMap(kUserTestVirt, phys_, kPageSize, {.writable = writable, .user = true}).ok();
  }
  ~UserPage() {
    if (mapped_) (void)mm::KernelUnmap(kUserTestVirt, kPageSize);
    if (phys_ != 0) (void)mm::FreePages(phys_, 0);
  }
  bool ok() const { return mapped_; }
  uint8_t* kernel_view() const { return static_cast<uint8_t*>(mm::PhysToVirt(phys_)); }

 private:
  uint64_t phys_ = 0;
  bool mapped_ = false;
};

KTEST(user_copy, copies_to_and_from_a_mapped_user_page) {
  UserPage page(/*writable=*/true);
  KASSERT(page.ok());
  const char message[] = "hello, user";
  KEXPECT(CopyToUser(kUserTestVirt + 100, message, sizeof(message)).ok());
  KEXPECT(__builtin_memcmp(page.kernel_view() + 100, message, sizeof(message)) == 0);
  char back[sizeof(message)] = {};
  KEXPECT(CopyFromUser(back, kUserTestVirt + 100, sizeof(back)).ok());
  KEXPECT(__builtin_memcmp(back, message, sizeof(message)) == 0);
  struct Pair {
    uint64_t a, b;
  };
  KEXPECT(CopyOut(UserOut<Pair>(kUserTestVirt), Pair{1, 2}).ok());
  auto pair = CopyIn(UserIn<Pair>(kUserTestVirt));
  KASSERT(pair.ok());
  KEXPECT_EQ(pair.value().b, 2u);
}

KTEST(user_copy, bad_addresses_fail_without_panicking) {
  uint64_t word = 0;
  auto bad = [&](uint64_t address, size_t size) {
    return CopyFromUser(&word, address, size).error() == uapi::Status::kBadAddress &&
           CopyToUser(address, &word, size).error() == uapi::Status::kBadAddress;
  };
  KEXPECT(bad(reinterpret_cast<uint64_t>(&word), 8));  // a kernel address
  KEXPECT(bad(0xffff'8000'0000'0000ull, 8));           // the HHDM
  KEXPECT(bad(0x0000'8000'0000'0000ull, 8));           // non-canonical
  KEXPECT(bad(0, 8));                                  // null
  KEXPECT(bad(kUserEnd - 4, 8));                       // runs past user space
  KEXPECT(bad(0x1000, ~0ull));                         // wraps
  KEXPECT(bad(kUserTestVirt, 8));                      // canonical user, unmapped: a real fault
  // Zero-length copies inside user space touch nothing.
  KEXPECT(CopyFromUser(&word, kUserTestVirt, 0).ok());
}

KTEST(user_copy, fault_part_way_reports_bad_address) {
  UserPage page(/*writable=*/true);
  KASSERT(page.ok());
  uint8_t buffer[64] = {};
  // The last 32 bytes of the page, then the unmapped next page.
  KEXPECT(CopyFromUser(buffer, kUserTestVirt + kPageSize - 32, sizeof(buffer)).error() ==
          uapi::Status::kBadAddress);
}

KTEST(user_copy, read_only_user_pages_cannot_be_written) {
  UserPage page(/*writable=*/false);
  KASSERT(page.ok());
  uint64_t value = 42;
  KEXPECT(CopyToUser(kUserTestVirt, &value, sizeof(value)).error() == uapi::Status::kBadAddress);
  KEXPECT_EQ(page.kernel_view()[0], 0u);
  KEXPECT(CopyFromUser(&value, kUserTestVirt, sizeof(value)).ok());
  KEXPECT_EQ(value, 0u);
}

}  // namespace
}  // namespace hiillos::user
