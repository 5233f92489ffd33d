// kernel/arch/x86_64/stack_walk.cc — the RBP-chain walker (see stack_walk.h for the rules).
#include "kernel/arch/x86_64/stack_walk.h"

namespace hiillos::arch {

size_t WalkFramePointers(uint64_t rbp, const StackWalkLimits& limits, ReadWordFn read,
                         void* context, uint64_t* out, size_t max) {
  size_t count = 0;
  uint32_t switches = 0;
  while (count < max) {
    if (rbp == 0 || rbp % 8 != 0 || rbp < limits.lowest_frame || rbp > ~0ull - 16) break;
    uint64_t next = 0, return_address = 0;
    if (!read(context, rbp, &next) || !read(context, rbp + 8, &return_address)) break;
    if (return_address < limits.text_start || return_address >= limits.text_end) break;
    out[count++] = return_address;
    if (next == 0) break;  // the outermost frame (entry.S clears RBP)
    if (next <= rbp || next - rbp > limits.max_frame_size) {
      if (next == rbp || ++switches > limits.max_stack_switches) break;
    }
    rbp = next;
  }
  return count;
}

}  // namespace hiillos::arch
