// lib/startinfo/layout.h — the C-compatible start-information block a spawner writes into a
// new process and its start code reads: header, string table, capability table, string bytes
// (docs/startinfo.md). Fixed-width little-endian fields, offsets from the block's first byte.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace hiillos::startinfo {

inline constexpr uint32_t kMagic = 0x31495348;  // "HSI1" in memory order
inline constexpr uint16_t kVersion = 1;

// Bounds a decoder enforces and an encoder respects.
inline constexpr size_t kMaxBlockSize = 4096;  // one page
inline constexpr size_t kMaxArgs = 64;
inline constexpr size_t kMaxEnv = 64;
inline constexpr size_t kMaxCaps = 32;
inline constexpr size_t kMaxStringLength = 1024;  // bytes, without the NUL

struct StartInfoHeader {
  uint32_t magic;           // kMagic
  uint16_t version;         // kVersion
  uint16_t header_size;     // sizeof(StartInfoHeader)
  uint32_t total_size;      // bytes of the whole block: strings_offset + strings_size
  uint32_t arg_count;       // argv entries (first in the string table)
  uint32_t env_count;       // "key=value" entries (after the arguments)
  uint32_t cap_count;       // capability table entries
  uint32_t strings_offset;  // first byte of the string bytes (right after the tables)
  uint32_t strings_size;    // bytes of the string area, every NUL included
  uint64_t pid;             // the process's own pid (proc server numbering), non-zero
  uint64_t reserved;        // zero
};

// One argument or environment string: `length` bytes at `offset`, then a NUL.
struct StartInfoString {
  uint32_t offset;
  uint32_t length;
};

// One initial capability: its name (a string like the ones above) and its handle.
struct StartInfoCap {
  uint32_t name_offset;
  uint32_t name_length;
  uint32_t handle;    // non-zero capability handle in the new process
  uint32_t reserved;  // zero
};

static_assert(sizeof(StartInfoHeader) == 48);
static_assert(offsetof(StartInfoHeader, magic) == 0);
static_assert(offsetof(StartInfoHeader, version) == 4);
static_assert(offsetof(StartInfoHeader, header_size) == 6);
static_assert(offsetof(StartInfoHeader, total_size) == 8);
static_assert(offsetof(StartInfoHeader, arg_count) == 12);
static_assert(offsetof(StartInfoHeader, env_count) == 16);
static_assert(offsetof(StartInfoHeader, cap_count) == 20);
static_assert(offsetof(StartInfoHeader, strings_offset) == 24);
static_assert(offsetof(StartInfoHeader, strings_size) == 28);
static_assert(offsetof(StartInfoHeader, pid) == 32);
static_assert(offsetof(StartInfoHeader, reserved) == 40);
static_assert(sizeof(StartInfoString) == 8);
static_assert(offsetof(StartInfoString, length) == 4);
static_assert(sizeof(StartInfoCap) == 16);
static_assert(offsetof(StartInfoCap, name_length) == 4);
static_assert(offsetof(StartInfoCap, handle) == 8);
static_assert(offsetof(StartInfoCap, reserved) == 12);

// Where the tables of a block with these counts start and end (the canonical layout).
constexpr size_t StringTableOffset() {
  return sizeof(StartInfoHeader);
}
constexpr size_t CapTableOffset(size_t arg_count, size_t env_count) {
  return StringTableOffset() + (arg_count + env_count) * sizeof(StartInfoString);
}
constexpr size_t StringsOffset(size_t arg_count, size_t env_count, size_t cap_count) {
  return CapTableOffset(arg_count, env_count) + cap_count * sizeof(StartInfoCap);
}
// The largest tables still fit in a block, with room for their strings.
static_assert(StringsOffset(kMaxArgs, kMaxEnv, kMaxCaps) < kMaxBlockSize);

}  // namespace hiillos::startinfo
