// services/lib/ipc/message.h — the typed view of one IPC message (uapi/ipc.h): a whole message
// as a value (register words, extended words, capabilities, badge) and the mapping of typed
// request/reply structs onto it. Pure (no syscalls): host-tested, shared by clients, servers and
// host tests of protocols.
//
// Wire convention (docs/ipc.md, "Typed messages"): w0 is the operation code of a request or the
// status of a reply (0 = ok; uapi::Status values or a protocol's documented error enum). A
// struct's 64-bit words follow: payload word i travels in w(i+1) for i < 5 and in extended word
// i-5 after that. Trailing zero extended words are not sent, and a receiver reads words that
// were not sent as zero, so a struct may grow at its end without breaking older peers.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "uapi/ipc.h"
#include "uapi/status.h"

namespace hiillos::ipc {

inline constexpr size_t kPayloadRegisterWords = uapi::kIpcRegisterWords - 1;  // w1..w5
inline constexpr size_t kMaxPayloadWords = kPayloadRegisterWords + uapi::kIpcExtendedWords;
inline constexpr size_t kMaxPayloadBytes = kMaxPayloadWords * 8;

// Reply statuses of the helper itself (w0 of a reply), from uapi::Status.
inline constexpr uint64_t kOk = 0;
inline constexpr uint64_t kUnknownOperation = static_cast<uint64_t>(uapi::Status::kInvalidSyscall);
inline constexpr uint64_t kBadRequest = static_cast<uint64_t>(uapi::Status::kInvalidArgument);

struct Message {
  uint64_t badge = 0;           // received messages: the sender's badge
  bool reply_expected = false;  // received messages: it came from a Call
  uint64_t words[uapi::kIpcRegisterWords] = {};
  uint64_t ext[uapi::kIpcExtendedWords] = {};
  size_t ext_count = 0;
  uapi::IpcCap caps[uapi::kIpcMaxCaps] = {};
  size_t cap_count = 0;

  uint64_t info() const { return uapi::IpcInfo::Make(ext_count, cap_count); }
};

// A payload struct: plain words (and word-padded byte arrays), at most kMaxPayloadBytes.
template <typename T>
concept Payload = __is_trivially_copyable(T) && sizeof(T) % 8 == 0 && sizeof(T) <= kMaxPayloadBytes;

// An operation of a protocol: its code and its request and reply payloads.
//   struct Stat { static constexpr uint64_t kCode = 3; struct Request {...}; struct Reply {...}; };
template <typename Op>
concept Operation = requires {
  static_cast<uint64_t>(Op::kCode);
  requires Payload<typename Op::Request>;
  requires Payload<typename Op::Reply>;
};

// Writes w0 and `payload` into `out` (its words and ext part; caps and badge unchanged).
template <Payload T>
void Encode(uint64_t w0, const T& payload, Message& out) {
  uint64_t words[sizeof(T) / 8 == 0 ? 1 : sizeof(T) / 8] = {};
  __builtin_memcpy(words, &payload, sizeof(T));
  constexpr size_t kCount = sizeof(T) / 8;
  out.words[0] = w0;
  for (size_t i = 0; i < kPayloadRegisterWords; ++i) out.words[i + 1] = i < kCount ? words[i] : 0;
  size_t ext = kCount > kPayloadRegisterWords ? kCount - kPayloadRegisterWords : 0;
  while (ext > 0 && words[kPayloadRegisterWords + ext - 1] == 0) --ext;
  for (size_t i = 0; i < ext; ++i) out.ext[i] = words[kPayloadRegisterWords + i];
  out.ext_count = ext;
}

// Reads `payload` from `in` (words that were not sent read as zero).
template <Payload T>
void Decode(const Message& in, T& payload) {
  uint64_t words[sizeof(T) / 8 == 0 ? 1 : sizeof(T) / 8] = {};
  constexpr size_t kCount = sizeof(T) / 8;
  for (size_t i = 0; i < kCount; ++i) {
    if (i < kPayloadRegisterWords) {
      words[i] = in.words[i + 1];
    } else if (i - kPayloadRegisterWords < in.ext_count) {
      words[i] = in.ext[i - kPayloadRegisterWords];
    }
  }
  __builtin_memcpy(&payload, words, sizeof(T));
}

// A capability to send: moved (the sender loses it) or copied with `rights`.
inline uapi::IpcCap MoveCap(uint32_t handle) {
  return uapi::IpcCap{handle, uapi::kIpcMove, 0, 0};
}
inline uapi::IpcCap CopyCap(uint32_t handle, uapi::Rights rights) {
  return uapi::IpcCap{handle, uapi::kIpcCopy, rights.bits, 0};
}

// Copies a NUL-terminated or `length`-byte string into a fixed char array of a payload,
// truncating; returns the bytes stored (the array stays NUL-terminated).
inline size_t CopyString(char* out, size_t capacity, const char* text, size_t length) {
  if (capacity == 0) return 0;
  size_t n = 0;
  while (n < length && n + 1 < capacity && text[n] != '\0') {
    out[n] = text[n];
    ++n;
  }
  for (size_t i = n; i < capacity; ++i) out[i] = '\0';
  return n;
}

// The length of a string in a received fixed char array, bounded by the array (a peer need not
// terminate it).
inline size_t BoundedLength(const char* text, size_t capacity) {
  size_t n = 0;
  while (n < capacity && text[n] != '\0') ++n;
  return n;
}

}  // namespace hiillos::ipc
