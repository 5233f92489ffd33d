// lib/virtio/blk_transfer.cc — the blocking virtio-blk calls: a transfer split into requests of
// at most MaxBytesPerRequest, as many in flight as the queue holds, waiting for completions.
#include "lib/base/checked.h"
#include "lib/virtio/blk_driver.h"

namespace hiillos::virtio {

Result<void, Error> BlockDriver::Transfer(BlkRequestType type, uint64_t sector, uint64_t count,
                                          uint64_t data_address) {
  uint64_t total_bytes = 0;
  if (count == 0 || !CheckedMul<uint64_t>(count, kBlkSectorSize, &total_bytes) ||
      !RangeInside(sector, count, config_.capacity_sectors)) {
    return Err(Error::kOutOfRange);
  }
  if (type == BlkRequestType::kOut && config_.read_only) return Err(Error::kReadOnly);
  const uint64_t max_bytes = MaxBytesPerRequest();
  uint64_t done = 0;
  Result<void, Error> outcome = Ok<Error>();
  while ((done < total_bytes && outcome.ok()) || in_flight_ > 0) {
    while (done < total_bytes && outcome.ok()) {
      const uint64_t left = total_bytes - done;
      const auto bytes = static_cast<uint32_t>(left < max_bytes ? left : max_bytes);
      const BlockRequest request{type, sector + done / kBlkSectorSize, data_address + done, bytes};
      const Result<void, Error> submitted = Submit(request, done);
      if (!submitted.ok()) {
        if (submitted.error() == Error::kQueueFull && in_flight_ > 0) break;
        outcome = submitted;
        break;
      }
      done += bytes;
    }
    Kick();
    if (in_flight_ == 0) break;
    BlockCompletion completions[16];
    const uint32_t collected = TRY(Collect(completions, 16));
    for (uint32_t i = 0; i < collected; ++i) {
      if (!completions[i].status.ok() && outcome.ok()) outcome = completions[i].status;
    }
    if (collected == 0 && !queue_->EnableInterrupts()) doorbell_->WaitForCompletion();
  }
  return outcome;
}

Result<void, Error> BlockDriver::Single(const BlockRequest& request) {
  TRY(Submit(request, 0));
  Kick();
  while (true) {
    BlockCompletion completion{0, Ok<Error>()};
    if (TRY(Collect(&completion, 1)) == 1) return completion.status;
    if (!queue_->EnableInterrupts()) doorbell_->WaitForCompletion();
  }
}

Result<void, Error> BlockDriver::Read(uint64_t sector, uint64_t count, uint64_t data_address) {
  return Transfer(BlkRequestType::kIn, sector, count, data_address);
}

Result<void, Error> BlockDriver::Write(uint64_t sector, uint64_t count, uint64_t data_address) {
  return Transfer(BlkRequestType::kOut, sector, count, data_address);
}

Result<void, Error> BlockDriver::Flush() {
  return Single(BlockRequest{BlkRequestType::kFlush, 0, 0, 0});
}

Result<void, Error> BlockDriver::GetId(uint64_t data_address) {
  return Single(BlockRequest{BlkRequestType::kGetId, 0, data_address, kBlkIdBytes});
}

}  // namespace hiillos::virtio
