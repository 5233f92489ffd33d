// testing/fs/sequence.h — the file-system stack's test sequence, run through a vfs client: in
// the guest by /bin/fs_test (testing/fs/fs_test.cc, through vfsd, fsd.fat32 and the RAM disk
// over IPC) and on the host by //services/vfsd:fs_stack_test (the same servers' logic in one
// process, after which fsck.fat and mtools check the image). Freestanding (no allocation).
//
// Writes a directory tree and a file larger than 4 MiB, reads everything back, seeks,
// overwrites, renames files and directories, lists and deletes, checks the documented errors
// and path resolution ("." "..", "//", never above a mount), then unmounts "/" (the driver
// stops) and mounts it again to read the final state back through a fresh driver.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "services/vfsd/client.h"

namespace hiillos::fstest {

// Receives every check ("ok: ..." / "FAILED: ..." lines are the caller's to print).
class Reporter {
 public:
  virtual void Check(bool ok, const char* what) = 0;
  virtual void Note(const char* what, uint64_t value) = 0;

 protected:
  ~Reporter() = default;
};

// The large file's size (> 4 MiB, not a multiple of the buffer or cluster sizes) and seed.
inline constexpr uint64_t kBigFileSize = (uint64_t{9} << 19) + 12345;  // 4.5 MiB + 12345
inline constexpr uint32_t kBigFileSeed = 0x5eed1234;
// The byte at `offset` of the large file as written (a hash, so any range can be recomputed),
// and as the sequence leaves it (1000 bytes at 1 MiB + 7 overwritten).
uint8_t BigFileByte(uint64_t offset);
uint8_t FinalBigFileByte(uint64_t offset);
// The contents of the small files.
inline constexpr const char kLeafText[] = "a leaf in a renamed directory\n";

struct SequenceOptions {
  // The device spec of "/" for the remount ("ram0 fat32").
  const char* root_spec;
  // A mount point whose volume is corrupt (its driver must refuse it), or nullptr.
  const char* corrupt_point;
};

// Runs the whole sequence on `client` (a session whose buffer is attached); the root of fs://
// must be an empty-enough FAT32 volume (no /tree, /big.bin).
void RunSequence(vfs::Client& client, const SequenceOptions& options, Reporter& reporter);

// Checks the final state the sequence leaves (also the host test's expectation).
void VerifyFinalState(vfs::Client& client, Reporter& reporter);

// The files the final state holds, for the host test's mtools comparison.
inline constexpr const char* kFinalManyFiles[] = {
    "file-10.txt", "file-11.txt", "file-12.txt", "file-13.txt", "file-14.txt",
    "file-15.txt", "file-16.txt", "file-17.txt", "file-18.txt", "file-19.txt"};

}  // namespace hiillos::fstest
