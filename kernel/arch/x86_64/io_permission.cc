// kernel/arch/x86_64/io_permission.cc — granting ports and loading a thread's I/O bitmap into
// the TSS (io_permission.h).
#include "kernel/arch/x86_64/io_permission.h"

#include "kernel/arch/x86_64/gdt.h"
#include "kernel/arch/x86_64/percpu.h"
#include "lib/base/atomic.h"

namespace hiillos::arch::x86_64 {
namespace {

static_assert(kIoPermissionBytes == kIoMapBytes);

// What each CPU's TSS bitmap holds: a copy of the bitmap of `generation` (0: all ones), with
// possible 0 bits only in its first `bytes` bytes.
struct LoadedMap {
  uint64_t generation = 0;
  uint32_t bytes = 0;
};
LoadedMap g_loaded[kMaxCpus];

Atomic<uint64_t> g_generation;

}  // namespace

void IoPermissionAllow(IoPermissionState* state, uint8_t* storage, uint32_t first, uint32_t count) {
  if (state->bitmap == nullptr) {
    __builtin_memset(storage, 0xff, kIoPermissionBytes);
    state->bitmap = storage;
    state->bytes = 0;
  }
  for (uint32_t port = first; port < first + count; ++port) {
    state->bitmap[port / 8] &= static_cast<uint8_t>(~(1u << (port % 8)));
  }
  uint32_t end_byte = (first + count + 7) / 8;
  if (end_byte > state->bytes) state->bytes = end_byte;
  state->generation = g_generation.FetchAdd(1, MemoryOrder::kRelaxed) + 1;
  IoPermissionLoad(*state);
}

void IoPermissionLoad(const IoPermissionState& state) {
  PerCpu* cpu = CurrentCpu();
  if (state.bitmap == nullptr) {
    cpu->tss->io_map_base = kIoMapDisabled;
    return;
  }
  LoadedMap& loaded = g_loaded[cpu->index];
  if (loaded.generation != state.generation) {
    uint8_t* map = TssIoMap(cpu->index);
    __builtin_memcpy(map, state.bitmap, state.bytes);
    if (loaded.bytes > state.bytes) {
      __builtin_memset(map + state.bytes, 0xff, loaded.bytes - state.bytes);
    }
    loaded.generation = state.generation;
    loaded.bytes = state.bytes;
  }
  cpu->tss->io_map_base = kIoMapOffset;
}

}  // namespace hiillos::arch::x86_64
