// lib/path/mount_table.cc — longest-prefix mount resolution.
#include "lib/path/mount_table.h"

namespace hiillos::path {

Result<void, Error> MountTable::Mount(const NormalPath& point, uint32_t mount_id) {
  for (size_t i = 0; i < count_; ++i) {
    if (entries_[i].point == point) return Err(Error::kAlreadyMounted);
  }
  if (count_ == kMaxMounts) return Err(Error::kMountTableFull);
  entries_[count_++] = Entry{point, mount_id};
  return Ok<Error>();
}

Result<uint32_t, Error> MountTable::Unmount(const NormalPath& point) {
  for (size_t i = 0; i < count_; ++i) {
    if (entries_[i].point == point) {
      const uint32_t mount_id = entries_[i].mount_id;
      entries_[i] = entries_[--count_];
      return mount_id;
    }
  }
  return Err(Error::kNotMounted);
}

Result<Resolution, Error> MountTable::Resolve(const NormalPath& path) const {
  const Entry* best = nullptr;
  for (size_t i = 0; i < count_; ++i) {
    const Entry& entry = entries_[i];
    if (path.IsWithin(entry.point) &&
        (best == nullptr || entry.point.length() > best->point.length())) {
      best = &entry;
    }
  }
  if (best == nullptr) return Err(Error::kNoMount);
  Resolution resolution{best->mount_id, &best->point, path.path(), path.length()};
  if (!best->point.IsRoot()) {
    // path = point + inner, where inner is empty (the mount's root) or starts with '/'.
    resolution.inner = path.path() + best->point.length();
    resolution.inner_length = path.length() - best->point.length();
    if (resolution.inner_length == 0) {
      resolution.inner = "/";
      resolution.inner_length = 1;
    }
  }
  return resolution;
}

}  // namespace hiillos::path
