// testing/syscall_fuzz/arguments.h — one register value for each argument kind of
// uapi/syscall_args.h, random but mostly "semi-valid": handles of the right type from the
// worker's pool, pointers into its scratch pages (sometimes running off their end), into
// read-only, unmapped, kernel and non-canonical memory, values at and just past their limits.
//
// A kind without a generator here (one added to uapi/syscall_args.h later) gets ArgumentFor's
// primary template: an interesting 64-bit word, so new kinds are fuzzed at once; give it its
// own generator to make it semi-valid.
#pragma once

#include <stdint.h>

#include "testing/syscall_fuzz/handle_pool.h"
#include "testing/syscall_fuzz/rng.h"
#include "uapi/object_type.h"
#include "uapi/rights.h"
#include "uapi/syscall_args.h"
#include "uapi/syscalls.h"

namespace hiillos::syscall_fuzz {

// What argument generation draws on.
struct Context {
  Rng rng;
  HandlePool pool;
  uint64_t scratch;  // kScratchBytes of read-write memory, unmapped after
  // Every worker's starting handles (the Memory capabilities among them): never deleted, so
  // the workers can allocate for the whole run (call_table.cc, Admit<kCapDelete>).
  const uapi::Handle* protected_handles;
  uint32_t protected_count;
  // Recent successful calls' arguments, drawn again later: the page-aligned user addresses
  // among their Words (where a VmemMap put a mapping, for a VmemUnmap to find) and, per object
  // type, the last handle a call of that type succeeded with (the Vmem that has the mapping).
  static constexpr uint32_t kRecentWords = 8;
  uint64_t recent_words[kRecentWords] = {};
  uint32_t recent_count = 0;
  uapi::Handle recent_handles[uapi::kObjectTypeCount] = {};

  void RememberWord(uint64_t word) {
    if (word < 0x1000 || word >= 0x0000'8000'0000'0000ull || (word & 0xfff) != 0) return;
    recent_words[recent_count++ % kRecentWords] = word;
  }
  void RememberHandle(uapi::ObjectType type, uint64_t handle) {
    recent_handles[static_cast<uint32_t>(type)] = static_cast<uapi::Handle>(handle);
  }
};

// Raw values shared by several kinds.
uint64_t InterestingWord(Context& c);
uint64_t RandomHandle(Context& c);  // invalid or someone else's handles, mostly
// A user pointer for a T of `size` bytes. Pointers into the scratch pages are sometimes
// filled first (random bytes or zeros) so copy-ins see varied contents.
uint64_t UserPointer(Context& c, uint64_t size);

template <typename Kind>
struct ArgumentFor {
  static uint64_t Make(Context& c) { return InterestingWord(c); }
};

template <>
struct ArgumentFor<uapi::Word> {
  static uint64_t Make(Context& c) {
    if (c.recent_count > 0 && c.rng.Percent(25)) {
      uint32_t available =
          c.recent_count < Context::kRecentWords ? c.recent_count : Context::kRecentWords;
      return c.recent_words[c.rng.Below(available)];
    }
    return InterestingWord(c);
  }
};

template <uapi::ObjectType kType, uapi::Rights kRights>
struct ArgumentFor<uapi::Cap<kType, kRights>> {
  static uint64_t Make(Context& c) {
    uint64_t roll = c.rng.Below(100);
    uapi::Handle recent = c.recent_handles[static_cast<uint32_t>(kType)];
    if (roll < 25 && c.pool.Holds(recent, kType)) return recent;
    if (roll < 75) return c.pool.OfType(kType, c.rng);
    if (roll < 88) return c.pool.Any(c.rng);
    return RandomHandle(c);
  }
};

template <>
struct ArgumentFor<uapi::AnyCap> {
  static uint64_t Make(Context& c) {
    return c.rng.Percent(85) ? c.pool.Any(c.rng) : RandomHandle(c);
  }
};

template <typename T>
struct ArgumentFor<uapi::UserIn<T>> {
  static uint64_t Make(Context& c) { return UserPointer(c, sizeof(T)); }
};
template <typename T>
struct ArgumentFor<uapi::UserOut<T>> {
  static uint64_t Make(Context& c) { return UserPointer(c, sizeof(T)); }
};
template <typename T>
struct ArgumentFor<uapi::UserInArray<T>> {
  static uint64_t Make(Context& c) { return UserPointer(c, 64 * sizeof(T)); }
};

template <uint64_t kMax>
struct ArgumentFor<uapi::UpTo<kMax>> {
  static uint64_t Make(Context& c) {
    uint64_t roll = c.rng.Below(100);
    // Mostly small: a frame of order 11 or more means zeroing 8 MiB or more, which is slow under
    // emulation, so values between 10 and kMax are not drawn (kMax and kMax + 1 are).
    if (roll < 60) return c.rng.Below((kMax < 3 ? kMax : 3) + 1);
    if (roll < 82) return c.rng.Below((kMax < 10 ? kMax : 10) + 1);
    if (roll < 88) return kMax;
    if (roll < 96) return kMax + 1;
    return InterestingWord(c);
  }
};

template <>
struct ArgumentFor<uapi::RightsMask> {
  static uint64_t Make(Context& c) {
    uint64_t roll = c.rng.Below(100);
    if (roll < 80) return c.rng.Next() & uapi::Rights::kAll.bits;
    if (roll < 90) return uapi::Rights::kAll.bits + 1 + c.rng.Below(1u << 10);
    return InterestingWord(c);
  }
};

template <>
struct ArgumentFor<uapi::MapFlagBits> {
  static uint64_t Make(Context& c) {
    constexpr uint64_t kValid[] = {uapi::kMapRead, uapi::kMapRead | uapi::kMapWrite,
                                   uapi::kMapRead | uapi::kMapExecute};
    uint64_t roll = c.rng.Below(100);
    if (roll < 60) return kValid[c.rng.Below(3)];
    if (roll < 90) return c.rng.Below(8);
    return InterestingWord(c);
  }
};

}  // namespace hiillos::syscall_fuzz
