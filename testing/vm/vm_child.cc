// testing/vm/vm_child.cc — /bin/vm_child: the program the vm guest test spawns. Its runtime
// registers its address space with the vm server ("vm_register") and takes its heap from it;
// it checks that heap pages read as zero before they are written (lazy zero-fill), that each
// page touched is one resident page in the server's Stats, and that freeing gives them back.
// Exit code 0 when every check held, else the number of the first that failed.
// With argument "hold" (the test registered its space, with its thread, and gave it "vm"): it
// touches kPages heap pages and then loops forever, for the test to kill it; vm releases the
// space by itself.
#include "services/lib/heap.h"
#include "services/lib/heap_glue.h"
#include "services/lib/print.h"
#include "services/lib/program.h"
#include "services/lib/syscalls.h"
#include "services/vm/client.h"

namespace {

using namespace hiillos;

constexpr size_t kPages = 16;
// With the heap's block header, exactly kPages pages (one run of its own).
constexpr size_t kBytes = kPages * 0x1000 - rt::Heap::kHeaderSize;

uint64_t Resident(uint32_t vm) {
  auto stats = vm::Stats(vm);
  return stats.ok() ? stats.value().w1 : ~uint64_t{0};
}

int Run() {
  const uint32_t vm = rt::VmHeapSender();
  if (vm == 0) return 1;  // the heap does not come from vm
  const uint64_t before = Resident(vm);
  if (before == ~uint64_t{0}) return 2;
  // A large block: its own run of pages, untouched until read here.
  auto* block = static_cast<volatile uint8_t*>(malloc(kBytes));
  if (block == nullptr) return 3;
  // Only the page the heap wrote the block's header into is resident yet.
  if (Resident(vm) != before + 1) return 4;
  for (size_t i = 0; i < kBytes; ++i) {
    if (block[i] != 0) return 5;  // lazy zero-fill
  }
  if (Resident(vm) != before + kPages) return 6;  // one fault per page
  for (size_t i = 0; i < kBytes; ++i) block[i] = static_cast<uint8_t>(i * 7);
  for (size_t i = 0; i < kBytes; ++i) {
    if (block[i] != static_cast<uint8_t>(i * 7)) return 7;
  }
  if (Resident(vm) != before + kPages) return 8;  // writes to present pages: no new frames
  free(const_cast<uint8_t*>(block));
  if (Resident(vm) != before) return 9;  // Free gave the pages back
  // Small blocks and operator new work on the same heap.
  auto* numbers = new uint64_t[300];
  for (uint64_t i = 0; i < 300; ++i) numbers[i] = i * i;
  uint64_t sum = 0;
  for (uint64_t i = 0; i < 300; ++i) sum += numbers[i];
  delete[] numbers;
  if (sum != 8955050) return 10;
  rt::Printf("vm_child: %lu pages zero-filled on first touch and freed; heap from vm", kPages);
  return 0;
}

// Touches kPages pages of a heap block that it never frees, then loops until it is killed.
int Hold() {
  auto* block = static_cast<volatile uint8_t*>(malloc(kBytes));
  if (block == nullptr) return 20;
  for (size_t i = 0; i < kBytes; i += 0x1000) block[i] = 1;
  for (;;) {
    (void)rt::Yield();
  }
}

}  // namespace

int ProgramMain(const hiillos::startinfo::StartInfo& start) {
  const char* mode = hiillos::rt::Arg(start, 1);
  if (mode != nullptr && mode[0] == 'h') return Hold();
  return Run();
}
