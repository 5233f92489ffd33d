// uapi/ipc.h — the IPC message ABI: the register part of a message (which registers carry it),
// the info word, and the layout of a thread's IPC buffer (the extended part: more words and the
// capabilities to transfer). docs/syscalls.md ("IPC calls") says the same in prose.
//
// Registers of the IPC calls (Call, Send, Recv, Reply, ReplyRecv), both ways:
//   rax    in: syscall number              out: uapi::Status
//   rdi    in: first capability (Sender, Receiver or Reply)        out: preserved
//   rsi    in: second capability (the Reply of Recv and ReplyRecv; else ignored)
//          out: the sender's badge (a received message), else as it was
//   rdx    in: the info word (IpcInfo) of the message sent
//          out: the info word of the message received (0 when none, and on errors)
//   r10 r8 r9 r12 r13 r14   the six register words w0..w5, in: sent; out: received (unchanged
//          when the call receives nothing or fails)
//   rcx r11 clobbered; everything else preserved.
// The fast path never touches memory for a message whose info word says 0 extended words and 0
// capabilities.
#pragma once

#include <stdint.h>

#include "uapi/rights.h"

namespace hiillos::uapi {

// Words in registers (w0..w5).
inline constexpr uint64_t kIpcRegisterWords = 6;
// Extended words the IPC buffer carries after the register part.
inline constexpr uint64_t kIpcExtendedWords = 32;
// Capabilities one message can transfer.
inline constexpr uint64_t kIpcMaxCaps = 4;

// The info word (rdx): bits 0-7 extended words (0..kIpcExtendedWords), bits 8-15 capabilities
// (0..kIpcMaxCaps), bit 16 (out only) "a reply is expected" (the message came from Call).
// Other bits must be 0 on input (else InvalidArgument).
struct IpcInfo {
  static constexpr uint64_t kWordsMask = 0xff;
  static constexpr uint64_t kCapsShift = 8;
  static constexpr uint64_t kCapsMask = 0xff;
  static constexpr uint64_t kReplyExpected = uint64_t{1} << 16;
  static constexpr uint64_t kInputMask = 0xffff;

  [[nodiscard]] static constexpr uint64_t Make(uint64_t words, uint64_t caps) {
    return (words & kWordsMask) | ((caps & kCapsMask) << kCapsShift);
  }
  [[nodiscard]] static constexpr uint64_t Words(uint64_t info) { return info & kWordsMask; }
  [[nodiscard]] static constexpr uint64_t Caps(uint64_t info) {
    return (info >> kCapsShift) & kCapsMask;
  }
  [[nodiscard]] static constexpr bool Valid(uint64_t info) {
    return (info & ~kInputMask) == 0 && Words(info) <= kIpcExtendedWords &&
           Caps(info) <= kIpcMaxCaps;
  }
};

// How a capability travels (IpcCap::mode).
enum IpcCapMode : uint32_t {
  // The sender loses it; the receiver gets it with the same rights (needs Transfer).
  kIpcMove = 0,
  // The sender keeps it; the receiver gets a new capability with `rights` (a subset of the
  // sender's; needs Transfer and Clone).
  kIpcCopy = 1,
};

// One capability of a message. Sending: `handle` (the sender's), `mode`, `rights` (copies
// only; ignored for moves). Received: `handle` is the receiver's new handle, `rights` its
// rights, `mode` as sent.
struct IpcCap {
  uint32_t handle;
  uint32_t mode;
  uint32_t rights;
  uint32_t reserved;
};
static_assert(sizeof(IpcCap) == 16);

// A thread's IPC buffer (ThreadSetIpcBuffer): one page-aligned user page. The kernel reads
// `words` and `caps` of an outgoing message and writes them for an incoming one.
struct IpcBuffer {
  uint64_t words[kIpcExtendedWords];
  IpcCap caps[kIpcMaxCaps];
};
static_assert(sizeof(IpcBuffer) <= 4096);

// The register part as user space sees it (services/lib/syscalls.h's IPC wrappers).
struct IpcMessage {
  uint64_t info = 0;   // IpcInfo
  uint64_t badge = 0;  // received messages only
  uint64_t words[kIpcRegisterWords] = {};
};

}  // namespace hiillos::uapi
