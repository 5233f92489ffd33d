// kernel/arch/x86_64/interrupt_frame.h — the register frame every interrupt/exception stub builds.
//
// Layout contract with interrupt_entry.S (and capture_frame.S): the stub pushes the error code
// (or 0), the vector, then all general-purpose registers; the CPU pushed RIP..SS before that
// (SDM Vol.3A §6.14.2, 64-bit mode always pushes SS:RSP). The handler may edit the frame: the
// stub restores every field on the way out (the fault probe uses this to resume elsewhere).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace hiillos::arch {

struct InterruptFrame {
  uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
  uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
  uint64_t vector;      // 0-255, or kNoVector for a captured (panic) context
  uint64_t error_code;  // the CPU's error code, 0 for vectors without one
  // Pushed by the CPU.
  uint64_t rip, cs, rflags, rsp, ss;
};
static_assert(sizeof(InterruptFrame) == 22 * 8);
static_assert(sizeof(InterruptFrame) % 16 == 0, "keeps the stack 16-byte aligned at the call");
static_assert(offsetof(InterruptFrame, rbp) == 64);
static_assert(offsetof(InterruptFrame, rax) == 112);
static_assert(offsetof(InterruptFrame, vector) == 120);
static_assert(offsetof(InterruptFrame, error_code) == 128);
static_assert(offsetof(InterruptFrame, rip) == 136);
static_assert(offsetof(InterruptFrame, cs) == 144);
static_assert(offsetof(InterruptFrame, rflags) == 152);
static_assert(offsetof(InterruptFrame, rsp) == 160);
static_assert(offsetof(InterruptFrame, ss) == 168);

// `vector` of a frame captured by CaptureFrame (Panic), not by an interrupt.
inline constexpr uint64_t kNoVector = ~0ull;

inline bool FromUserMode(const InterruptFrame& frame) {
  return (frame.cs & 3) != 0;
}

}  // namespace hiillos::arch
