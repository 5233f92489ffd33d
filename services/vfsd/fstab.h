// services/vfsd/fstab.h — /etc/fstab and the kernel command line's root= (vfsd's mount
// configuration), parsed without allocation. Format (docs/protocols/vfs.md, "fstab"):
//
//   # comment
//   DEVICE  MOUNTPOINT  TYPE  [OPTIONS]
//   ram1    /scratch    fat32 rw
//
// Fields are separated by spaces or tabs; everything after '#' is ignored; OPTIONS is kept but
// unused (rw only, for now). DEVICE names a block device vfsd was given ("block.DEVICE"
// capability); MOUNTPOINT is an fs:// path. `root=DEVICE` (and optionally `rootfstype=TYPE`,
// default fat32) on the kernel command line mounts DEVICE at "/", replacing an fstab line for
// "/".
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"

namespace hiillos::vfsd {

inline constexpr size_t kMaxFstabEntries = 16;
inline constexpr size_t kMaxDeviceName = 31;
inline constexpr size_t kMaxTypeName = 15;
inline constexpr size_t kMaxMountPoint = 255;
inline constexpr size_t kMaxFstabLine = 511;

struct FstabEntry {
  char device[kMaxDeviceName + 1];
  char point[kMaxMountPoint + 1];
  char type[kMaxTypeName + 1];
  size_t line;  // 1-based line in the file; 0 for root=
};

enum class FstabError : uint8_t {
  kLineTooLong,
  kMissingField,    // fewer than three fields
  kTooManyFields,   // more than four
  kFieldTooLong,    // device, point or type beyond its limit
  kTooManyEntries,  // more than kMaxFstabEntries
};

const char* FstabErrorName(FstabError error);

struct FstabProblem {
  FstabError error;
  size_t line;
};

class Fstab {
 public:
  // Parses `text` (the whole file). A bad line is an error naming it: vfsd logs it and mounts
  // nothing from the file rather than guessing.
  static Result<Fstab, FstabProblem> Parse(const char* text, size_t length);

  // Applies the kernel command line: root=DEVICE [rootfstype=TYPE] becomes the "/" entry
  // (first). False when root= is absent or its value is too long.
  bool ApplyCommandLine(const char* command_line, size_t length);

  size_t size() const { return count_; }
  const FstabEntry& entry(size_t index) const { return entries_[index]; }

 private:
  FstabEntry entries_[kMaxFstabEntries];
  size_t count_ = 0;
};

}  // namespace hiillos::vfsd
