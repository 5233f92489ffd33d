// testing/fs/guest_client.h — what the guest tests that talk to vfsd share (testing/fs/fs_test.cc,
// testing/blkstack/*_test.cc): vfsd started on block devices, a session buffer attached to it,
// the check of //disk's random sample file, and a reporter that logs each check
// (testing_lib::CheckLog: "<test>: ok: ..." / "<test>: FAILED: ...").
#pragma once

#include <stdint.h>

#include "services/vfsd/client.h"
#include "testing/fs/sequence.h"
#include "testing/lib/check_log.h"
#include "testing/lib/test_server.h"

namespace hiillos::fstest {

// A block device for vfsd: our Sender to its driver, given as "block.<name>" (cap_name).
struct BlockDevice {
  const char* cap_name;  // "block.vda"
  uint32_t sender;
};
inline constexpr size_t kMaxBlockDevices = testing_lib::kMaxExtraCaps - 1;

// Starts initfs:///sbin/vfsd as `start` says (test, archive, pid, endpoint rights, badges,
// receiver) with what every vfsd gets: "kernel.cmdline=<command_line>" in its environment, the
// archive's frame as "initfs", a log it can hand on to its drivers, and the block devices (Write,
// Clone, Transfer: it gives each driver a copy).
bool StartVfsd(testing_lib::ServerStart start, uint32_t initfs_frame, const char* command_line,
               const BlockDevice* blocks, size_t block_count, testing_lib::Server* out);

// Allocates a 2^order-page buffer, maps it at `address` and moves a copy of its frame to vfsd
// with kAttachBuffer over `vfsd` (that Sender's session). True when vfsd accepted all of it.
bool AttachBuffer(uint32_t vfsd, uint64_t address, unsigned order);

// //disk's /data/random-5MiB.bin (disk/BUILD.bazel's RANDOM_FILE_SEED 5, xorshift32 bytes as in
// lib/fat32/testing/deterministic_bytes.cc), compared while streaming: every byte and the size.
inline constexpr const char* kDiskRandomFile = "/data/random-5MiB.bin";
bool RandomFileIntact(vfs::Client& client);

class LogReporter final : public Reporter {
 public:
  constexpr explicit LogReporter(const char* test) : checks(test) {}
  void Check(bool ok, const char* what) override { checks.Check(ok, what); }
  void Note(const char* what, uint64_t value) override;
  testing_lib::CheckLog checks;
};

}  // namespace hiillos::fstest
