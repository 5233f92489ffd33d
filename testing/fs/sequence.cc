// testing/fs/sequence.cc — the operation sequence and its checks.
#include "testing/fs/sequence.h"

#include "services/vfsd/text.h"

#include "lib/format/format.h"

namespace hiillos::fstest {

namespace {

using vfs::Error;

constexpr uint64_t kChunk = 48 * 1024;  // not a multiple of the 64 KiB buffers
constexpr uint64_t kOverwriteAt = (uint64_t{1} << 20) + 7;
constexpr uint64_t kOverwriteLength = 1000;

uint8_t g_chunk[kChunk];
uint8_t g_read[kChunk];

template <typename T>
bool IsError(const Result<T, Error>& result, Error error) {
  return !result.ok() && result.error() == error;
}

uint8_t OverwriteByte(uint64_t index) {
  return static_cast<uint8_t>(0xC3 ^ (index * 13));
}

uint8_t ExpectedBig(uint64_t offset) {
  return FinalBigFileByte(offset);
}

void ManyName(char* out, size_t capacity, int index, bool full) {
  format::FormatToBuffer(out, capacity, full ? "/tree/many/file-%02d.txt" : "file-%02d.txt", index);
}

bool WriteText(vfs::Client& client, const char* path, const char* text) {
  auto file = client.Open(path, vfs::kOpenCreate | vfs::kOpenTruncate);
  if (!file.ok()) return false;
  auto written =
      client.Write(file.value().handle, reinterpret_cast<const uint8_t*>(text), fs::Length(text));
  auto closed = client.Close(file.value().handle);
  return written.ok() && written.value() == fs::Length(text) && closed.ok();
}

bool ReadTextEquals(vfs::Client& client, const char* path, const char* text) {
  auto file = client.Open(path);
  if (!file.ok()) return false;
  char got[256] = {};
  auto read = client.Read(file.value().handle, reinterpret_cast<uint8_t*>(got), sizeof(got) - 1);
  auto closed = client.Close(file.value().handle);
  return read.ok() && closed.ok() && read.value() == fs::Length(text) &&
         __builtin_memcmp(got, text, fs::Length(text)) == 0 &&
         file.value().size == fs::Length(text);
}

// Reads the whole large file in chunks of `chunk` bytes and compares it; true when every byte
// matched and the end came where expected.
bool ReadBigBack(vfs::Client& client, uint64_t chunk) {
  auto file = client.Open("/big.bin");
  if (!file.ok() || file.value().size != kBigFileSize) return false;
  uint64_t offset = 0;
  bool same = true;
  while (same) {
    auto read = client.Read(file.value().handle, g_read, chunk);
    if (!read.ok()) {
      same = false;
      break;
    }
    for (uint64_t i = 0; i < read.value(); ++i) {
      if (g_read[i] != ExpectedBig(offset + i)) {
        same = false;
        break;
      }
    }
    offset += read.value();
    if (read.value() < chunk) break;
  }
  auto closed = client.Close(file.value().handle);
  return same && closed.ok() && offset == kBigFileSize;
}

size_t CountEntries(vfs::Client& client, const char* path, bool* names_ok) {
  auto dir = client.Open(path);
  if (!dir.ok() || !dir.value().directory) return 0;
  size_t count = 0;
  vfs::Entry entry;
  for (;;) {
    auto next = client.ReadDir(dir.value().handle, &entry);
    if (!next.ok() || !next.value()) break;
    if (names_ok != nullptr &&
        (entry.name_length != 11 || __builtin_memcmp(entry.name, "file-", 5) != 0)) {
      *names_ok = false;
    }
    ++count;
  }
  (void)client.Close(dir.value().handle);
  return count;
}

void WriteBig(vfs::Client& client, Reporter& r) {
  auto file = client.Open("/big.bin", vfs::kOpenCreate | vfs::kOpenExclusive);
  r.Check(file.ok(), "create /big.bin (exclusive)");
  if (!file.ok()) return;
  uint64_t offset = 0;
  bool ok = true;
  while (offset < kBigFileSize && ok) {
    const uint64_t n = kBigFileSize - offset < kChunk ? kBigFileSize - offset : kChunk;
    for (uint64_t i = 0; i < n; ++i) g_chunk[i] = BigFileByte(offset + i);
    auto written = client.Write(file.value().handle, g_chunk, n);
    ok = written.ok() && written.value() == n;
    offset += n;
  }
  r.Check(ok, "write 4.5 MiB + 12345 bytes to /big.bin in 48 KiB writes");
  auto end = client.Seek(file.value().handle, 0, vfs::kSeekEnd);
  r.Check(end.ok() && end.value() == kBigFileSize, "seek to the end: the file's size");
  // Overwrite 1000 bytes in the middle.
  for (uint64_t i = 0; i < kOverwriteLength; ++i) g_chunk[i] = OverwriteByte(i);
  auto at = client.Seek(file.value().handle, kOverwriteAt, vfs::kSeekSet);
  auto over = client.Write(file.value().handle, g_chunk, kOverwriteLength);
  r.Check(at.ok() && over.ok() && over.value() == kOverwriteLength,
          "overwrite 1000 bytes at 1 MiB + 7");
  r.Check(client.Close(file.value().handle).ok(), "close /big.bin");
  auto stat = client.Stat("/big.bin");
  r.Check(stat.ok() && stat.value().size == kBigFileSize && !stat.value().directory,
          "stat /big.bin: size unchanged by the overwrite");
}

void SeekAndRead(vfs::Client& client, Reporter& r) {
  auto file = client.Open("/big.bin");
  if (!file.ok()) {
    r.Check(false, "open /big.bin for seeks");
    return;
  }
  const uint64_t h = file.value().handle;
  const uint64_t where = (uint64_t{3} << 20) + 5;
  auto at = client.Seek(h, static_cast<int64_t>(where), vfs::kSeekSet);
  auto read = client.Read(h, g_read, 100);
  bool same = at.ok() && read.ok() && read.value() == 100;
  for (uint64_t i = 0; same && i < 100; ++i) same = g_read[i] == ExpectedBig(where + i);
  r.Check(same, "seek to 3 MiB + 5 and read 100 bytes");
  auto back = client.Seek(h, -50, vfs::kSeekCurrent);
  r.Check(back.ok() && back.value() == where + 50, "seek back 50 from the current position");
  auto tail = client.Seek(h, -10, vfs::kSeekEnd);
  auto last = client.Read(h, g_read, 100);
  same = tail.ok() && last.ok() && last.value() == 10;
  for (uint64_t i = 0; same && i < 10; ++i) same = g_read[i] == ExpectedBig(kBigFileSize - 10 + i);
  r.Check(same, "the last 10 bytes, then the end of the file");
  auto eof = client.Read(h, g_read, 100);
  r.Check(eof.ok() && eof.value() == 0, "reading at the end gives 0 bytes");
  r.Check(IsError(client.Seek(h, -1, vfs::kSeekSet), Error::kOutOfRange),
          "seek before 0: kOutOfRange");
  r.Check(IsError(client.Seek(h, 0, 7), Error::kBadRequest), "seek with a bad whence: kBadRequest");
  (void)client.Close(h);
}

}  // namespace

uint8_t BigFileByte(uint64_t offset) {
  uint64_t x = (offset >> 3) * 0x9E3779B97F4A7C15ull + kBigFileSeed;
  x ^= x >> 31;
  x *= 0xBF58476D1CE4E5B9ull;
  x ^= x >> 29;
  return static_cast<uint8_t>(x >> ((offset & 7) * 8));
}

uint8_t FinalBigFileByte(uint64_t offset) {
  if (offset >= kOverwriteAt && offset < kOverwriteAt + kOverwriteLength) {
    return OverwriteByte(offset - kOverwriteAt);
  }
  return BigFileByte(offset);
}

void RunSequence(vfs::Client& client, const SequenceOptions& options, Reporter& r) {
  auto root = client.Stat("/");
  r.Check(root.ok() && root.value().directory, "stat /: a directory");

  // A directory tree.
  r.Check(client.Mkdir("/tree").ok(), "mkdir /tree");
  r.Check(client.Mkdir("/tree/a").ok(), "mkdir /tree/a");
  r.Check(client.Mkdir("fs:///tree/a/b").ok(), "mkdir fs:///tree/a/b");
  r.Check(client.Mkdir("/tree/c/").ok(), "mkdir /tree/c/ (trailing slash)");
  r.Check(client.Mkdir("/tree/many").ok(), "mkdir /tree/many");
  r.Check(IsError(client.Mkdir("/tree/a"), Error::kExists), "mkdir /tree/a again: kExists");
  r.Check(WriteText(client, "/tree/a/b/leaf.txt", kLeafText), "write /tree/a/b/leaf.txt");
  bool many = true;
  char name[64];
  for (int i = 0; i < 20; ++i) {
    ManyName(name, sizeof(name), i, true);
    many = many && WriteText(client, name, name);
  }
  r.Check(many, "write 20 files in /tree/many");

  WriteBig(client, r);
  r.Check(ReadBigBack(client, kChunk), "read /big.bin back in 48 KiB reads: every byte");
  r.Check(ReadBigBack(client, 3 * 4096 + 17), "read /big.bin back in 12305-byte reads: every byte");
  SeekAndRead(client, r);

  // Path resolution.
  r.Check(ReadTextEquals(client, "/tree/./a//b/../b/leaf.txt", kLeafText),
          "open /tree/./a//b/../b/leaf.txt");
  r.Check(IsError(client.Stat("/../tree"), Error::kBadPath), "stat /../tree: kBadPath");
  r.Check(IsError(client.Stat("tree"), Error::kBadPath), "stat of a relative path: kBadPath");
  r.Check(IsError(client.Stat("/tree/nothing"), Error::kNotFound), "stat /tree/nothing: kNotFound");
  r.Check(IsError(client.Open("/tree/a/b/leaf.txt/x"), Error::kNotADirectory),
          "open below a file: kNotADirectory");
  r.Check(IsError(client.Open("/tree/x", vfs::kOpenCreate | vfs::kOpenExclusive | 64),
                  Error::kBadRequest),
          "open with an unknown flag: kBadRequest");
  r.Check(IsError(client.Open("/big.bin", vfs::kOpenCreate | vfs::kOpenExclusive), Error::kExists),
          "exclusive create of an existing file: kExists");
  r.Check(IsError(client.Read(9999, g_read, 1), Error::kBadHandle),
          "read a bad handle: kBadHandle");
  auto dir = client.Open("/tree");
  r.Check(dir.ok() && dir.value().directory, "open /tree: a directory");
  if (dir.ok()) {
    r.Check(IsError(client.Read(dir.value().handle, g_read, 1), Error::kIsADirectory),
            "read a directory: kIsADirectory");
    (void)client.Close(dir.value().handle);
  }

  // Renames: a file into another directory, then a whole directory.
  auto held = client.Open("/tree/a/b/leaf.txt");
  r.Check(held.ok() && IsError(client.Rename("/tree/a/b/leaf.txt", "/tree/c/x.txt"), Error::kBusy),
          "rename of an open file: kBusy");
  if (held.ok()) (void)client.Close(held.value().handle);
  r.Check(client.Rename("/tree/a/b/leaf.txt", "/tree/c/leaf renamed with a long name.txt").ok(),
          "rename /tree/a/b/leaf.txt to /tree/c/leaf renamed with a long name.txt");
  r.Check(IsError(client.Stat("/tree/a/b/leaf.txt"), Error::kNotFound), "the old name is gone");
  r.Check(client.Rename("/tree/c", "/tree/d").ok(), "rename directory /tree/c to /tree/d");
  r.Check(ReadTextEquals(client, "/tree/d/leaf renamed with a long name.txt", kLeafText),
          "the renamed file in the renamed directory");
  r.Check(IsError(client.Rename("/tree", "/tree/d/inside"), Error::kInvalidRename),
          "moving a directory into itself: kInvalidRename");

  // Listing and deleting.
  bool names = true;
  r.Check(CountEntries(client, "/tree/many", &names) == 20 && names,
          "readdir /tree/many: 20 files");
  bool deleted = true;
  for (int i = 0; i < 10; ++i) {
    ManyName(name, sizeof(name), i, true);
    deleted = deleted && client.Unlink(name).ok();
  }
  r.Check(deleted, "unlink 10 of them");
  r.Check(CountEntries(client, "/tree/many", &names) == 10 && names, "readdir /tree/many: 10 left");
  r.Check(IsError(client.Unlink("/tree/many/file-00.txt"), Error::kNotFound),
          "unlink a deleted file: kNotFound");
  r.Check(IsError(client.Unlink("/tree/a"), Error::kNotEmpty), "unlink /tree/a: kNotEmpty");
  r.Check(client.Unlink("/tree/a/b").ok(), "unlink the empty /tree/a/b");
  r.Check(IsError(client.Unlink("/"), Error::kBusy), "unlink /: kBusy");

  // A corrupt volume: its driver refuses it; the rest keeps working.
  if (options.corrupt_point != nullptr) {
    auto bad = client.Stat(options.corrupt_point);
    r.Check(IsError(bad, Error::kCorrupt), "stat of the corrupt mount: kCorrupt");
    r.Check(!bad.ok() && IsError(client.Open(options.corrupt_point), Error::kCorrupt),
            "open on the corrupt mount: kCorrupt again");
    r.Check(ReadTextEquals(client, "/tree/d/leaf renamed with a long name.txt", kLeafText),
            "/ still works next to the corrupt mount");
  }

  VerifyFinalState(client, r);

  // A fresh driver: unmount "/" (its driver writes back and exits), mount again, read back.
  auto open = client.Open("/big.bin");
  r.Check(open.ok() && IsError(client.Unmount("/"), Error::kBusy),
          "unmount / with an open file: kBusy");
  if (open.ok()) (void)client.Close(open.value().handle);
  r.Check(client.Unmount("/").ok(), "unmount /");
  r.Check(IsError(client.Stat("/big.bin"), Error::kNoMount), "nothing is mounted at /");
  r.Check(client.Mount("/", options.root_spec).ok(), "mount / again");
  r.Check(IsError(client.Mount("/", options.root_spec), Error::kAlreadyMounted),
          "mount / twice: kAlreadyMounted");
  r.Check(IsError(client.Mount("/x", "nodevice fat32"), Error::kNoDevice),
          "mount an unknown device: kNoDevice");
  VerifyFinalState(client, r);
}

void VerifyFinalState(vfs::Client& client, Reporter& r) {
  r.Check(ReadBigBack(client, kChunk), "final state: /big.bin, every byte");
  r.Check(ReadTextEquals(client, "/tree/d/leaf renamed with a long name.txt", kLeafText),
          "final state: the renamed leaf file");
  bool names = true;
  r.Check(CountEntries(client, "/tree/many", &names) == 10 && names,
          "final state: 10 files in /tree/many");
  bool contents = true;
  char name[64];
  for (int i = 10; i < 20; ++i) {
    ManyName(name, sizeof(name), i, true);
    contents = contents && ReadTextEquals(client, name, name);
  }
  r.Check(contents, "final state: their contents");
  auto a = client.Stat("/tree/a");
  r.Check(a.ok() && a.value().directory && CountEntries(client, "/tree/a", nullptr) == 0,
          "final state: /tree/a is an empty directory");
  r.Check(IsError(client.Stat("/tree/c"), Error::kNotFound), "final state: no /tree/c");
}

}  // namespace hiillos::fstest
