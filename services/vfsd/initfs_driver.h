// services/vfsd/initfs_driver.h — initfs:// inside vfsd: the driver protocol
// (services/fsd_fat32/protocol.h) answered in-process from the unpacked initfs archive
// (services/root/initfs's InitfsService), read-only. vfsd mounts it at initfs:/// when it was
// given the archive frame; when root serves initfs over IPC, this Channel is what gets replaced
// by an IpcChannel to root (the mount machinery stays the same).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/ustar/archive.h"
#include "services/root/initfs/initfs_service.h"
#include "services/vfsd/channel.h"

namespace hiillos::vfsd {

class InitfsDriver final : public fs::Channel {
 public:
  // `buffer` is the buffer vfsd and the driver share (any memory: no IPC involved).
  InitfsDriver(const ustar::Archive& archive, uint8_t* buffer, uint64_t buffer_size)
      : service_(archive), buffer_(buffer), buffer_size_(buffer_size) {}

  Result<uapi::IpcMessage, uapi::Status> Call(const uapi::IpcMessage& request) override;

  uint8_t* buffer() { return buffer_; }
  uint64_t buffer_size() const { return buffer_size_; }

 private:
  initfs::InitfsService service_;
  uint8_t* buffer_;
  uint64_t buffer_size_;
};

}  // namespace hiillos::vfsd
