// testing/fs/guest_client.h — what the guest tests that talk to vfsd share (testing/fs/fs_test.cc,
// testing/blkstack/*_test.cc): a session buffer attached to vfsd, the check of //disk's random
// sample file, and a reporter that logs each check as "<test>: ok: ..." / "<test>: FAILED: ...".
#pragma once

#include <stdint.h>

#include "services/vfsd/client.h"
#include "testing/fs/sequence.h"

namespace hiillos::fstest {

// Allocates a 2^order-page buffer, maps it at `address` and moves a copy of its frame to vfsd
// with kAttachBuffer over `vfsd` (that Sender's session). True when vfsd accepted all of it.
bool AttachBuffer(uint32_t vfsd, uint64_t address, unsigned order);

// //disk's /data/random-5MiB.bin (disk/BUILD.bazel's RANDOM_FILE_SEED 5, xorshift32 bytes as in
// lib/fat32/testing/deterministic_bytes.cc), compared while streaming: every byte and the size.
inline constexpr const char* kDiskRandomFile = "/data/random-5MiB.bin";
bool RandomFileIntact(vfs::Client& client);

class LogReporter final : public Reporter {
 public:
  constexpr explicit LogReporter(const char* test) : test_(test) {}
  void Check(bool ok, const char* what) override;
  void Note(const char* what, uint64_t value) override;
  int passed = 0;
  int failed = 0;

 private:
  const char* test_;
};

}  // namespace hiillos::fstest
