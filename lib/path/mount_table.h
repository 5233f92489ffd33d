// lib/path/mount_table.h — vfsd's mount table: which mount serves a normalised path, and the
// path inside that mount.
//
// A mount point is a NormalPath (so it has no "." or ".." and is absolute); a path belongs to the
// mount with the longest point that covers it component-wise ("/mnt/disk" covers "/mnt/disk/a",
// not "/mnt/disk2"). Because paths are normalised before they are resolved, the path handed to a
// mount's driver never contains "..": it cannot name anything above the mount's root.
// Fixed capacity (kMaxMounts), no allocation. Not thread-safe: vfsd's loop owns it.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"
#include "lib/path/error.h"
#include "lib/path/limits.h"
#include "lib/path/normal_path.h"

namespace hiillos::path {

struct Resolution {
  uint32_t mount_id;        // the id given to Mount (e.g. vfsd's index of the driver)
  const NormalPath* point;  // the mount point (owned by the table)
  const char* inner;        // path inside the mount, from '/': points into the resolved path
  size_t inner_length;      // (or to a static "/"), valid while that NormalPath lives
};

class MountTable {
 public:
  // Errors: kAlreadyMounted (same point), kMountTableFull.
  Result<void, Error> Mount(const NormalPath& point, uint32_t mount_id);
  // Removes the mount at exactly `point` and returns its id. Errors: kNotMounted.
  Result<uint32_t, Error> Unmount(const NormalPath& point);
  // The mount with the longest point covering `path`. Errors: kNoMount.
  Result<Resolution, Error> Resolve(const NormalPath& path) const;

  size_t size() const { return count_; }

 private:
  struct Entry {
    NormalPath point;
    uint32_t mount_id;
  };
  Entry entries_[kMaxMounts];
  size_t count_ = 0;  // entries_[0, count_) are in use
};

}  // namespace hiillos::path
