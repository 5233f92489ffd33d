// kernel/arch/x86_64/stack_walk.h — frame-pointer stack walking with sanity checks.
//
// The kernel is built with -fno-omit-frame-pointer: every frame starts with `push %rbp;
// mov %rsp, %rbp`, so [rbp] = the caller's RBP and [rbp + 8] = the return address. The walk
// reads words only through `read` (the kernel passes a fault probe, so a bad chain cannot fault
// again) and stops at the first frame that fails a check: RBP zero, misaligned, below
// `lowest_frame`, return address outside [text_start, text_end), a chain that does not move up
// the stack (allowed `max_stack_switches` times, for the jump from an IST or interrupt stack
// to the interrupted one), or `max` entries. Pure logic, host-tested.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace hiillos::arch {

struct StackWalkLimits {
  uint64_t text_start;  // return addresses must lie in [text_start, text_end)
  uint64_t text_end;
  uint64_t lowest_frame;        // frame pointers below this are rejected (e.g. the kernel half)
  uint64_t max_frame_size;      // a larger step to the next frame counts as a stack switch
  uint32_t max_stack_switches;  // steps down (or too far up) allowed along the chain
};

// Reads the 8-byte word at `address`; false if it cannot be read.
using ReadWordFn = bool (*)(void* context, uint64_t address, uint64_t* value);

// Writes up to `max` return addresses (callers first seen first) into `out`, starting with the
// frame `rbp` points at. Returns how many were written.
size_t WalkFramePointers(uint64_t rbp, const StackWalkLimits& limits, ReadWordFn read,
                         void* context, uint64_t* out, size_t max);

}  // namespace hiillos::arch
