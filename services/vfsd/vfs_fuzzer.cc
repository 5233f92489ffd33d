// services/vfsd/vfs_fuzzer.cc — libFuzzer target over vfs requests: a byte string is decoded into
// a sequence of requests (any op, session, handle, offsets and path bytes, including bad ones)
// that Vfs::Handle answers, with two in-memory file systems mounted at "/" and "/m" behind it.
// Nothing may crash or hang; every reply is a known vfs::Error; handle counts stay within their
// limits (kMaxOpen, kMaxOpenPerSession) and agree with kStats; a read or write never reports
// more than was asked; and a driver only ever sees a normalised path inside its mount ("/" or
// "/a/b": no "", "//", ".", "..", trailing "/") and byte ranges inside its buffer.
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <string>
#include <vector>

#include "services/fsd_fat32/protocol.h"
#include "services/vfsd/vfs.h"

namespace hiillos {
namespace {

void Check(bool condition) {
  if (!condition) __builtin_trap();
}

constexpr uint64_t kDriverBuffer = 4096;
constexpr uint64_t kSessionBuffer = 4096;
constexpr size_t kAttachedSessions = 3;  // sessions 0..2 have buffers, the rest do not
constexpr size_t kMaxNodes = 48;
constexpr size_t kMaxHandles = 24;
constexpr size_t kMaxFileBytes = 16 * 1024;

// A file-system driver (the fsd protocol) over a table of paths, checking what vfsd sends it.
class MemFs final : public fs::Channel {
 public:
  MemFs() { nodes_.push_back(Node{"/", true, {}}); }

  Result<uapi::IpcMessage, uapi::Status> Call(const uapi::IpcMessage& request) override {
    if (dead) return Err(uapi::Status::kDead);
    const uint64_t* w = request.words;
    switch (static_cast<fsd::Op>(w[0])) {
      case fsd::Op::kOpen:
        return Open(PathAt(w[1], w[2]), w[3]);
      case fsd::Op::kRead:
      case fsd::Op::kWrite:
        return Transfer(static_cast<fsd::Op>(w[0]) == fsd::Op::kWrite, w);
      case fsd::Op::kStat: {
        const int node = Find(PathAt(w[1], w[2]));
        if (node < 0) return Reply(vfs::Error::kNotFound);
        return Reply(vfs::Error::kOk, nodes_[node].data.size(), nodes_[node].directory ? 1 : 0);
      }
      case fsd::Op::kReadDir:
        return ReadDir(w);
      case fsd::Op::kMkdir:
        return Make(PathAt(w[1], w[2]), true);
      case fsd::Op::kUnlink:
        return Unlink(PathAt(w[1], w[2]));
      case fsd::Op::kRename:
        return Rename(PathAt(w[1], w[2]), PathAt(w[3], w[4]));
      case fsd::Op::kClose:
        Check(w[1] < kMaxHandles && handles_[w[1]] >= 0);  // vfsd closes only what it opened
        handles_[w[1]] = -1;
        return Reply(vfs::Error::kOk);
      case fsd::Op::kShutdown:
        return Reply(vfs::Error::kOk);
    }
    __builtin_trap();  // vfsd sent an op the protocol does not have
  }

  // A new instance after a restart: the files stay (they are "on disk"), the handles go.
  void Restart() {
    dead = false;
    for (int& handle : handles_) handle = -1;
  }

  uint8_t buffer[kDriverBuffer] = {};
  bool dead = false;

 private:
  struct Node {
    std::string path;
    bool directory;
    std::string data;
  };

  static uapi::IpcMessage Reply(vfs::Error error, uint64_t w1 = 0, uint64_t w2 = 0, uint64_t w3 = 0,
                                uint64_t w4 = 0) {
    uapi::IpcMessage reply;
    reply.words[0] = static_cast<uint64_t>(error);
    reply.words[1] = w1;
    reply.words[2] = w2;
    reply.words[3] = w3;
    reply.words[4] = w4;
    return reply;
  }

  // The path vfsd wrote into the buffer: it must be in range and normalised.
  std::string PathAt(uint64_t offset, uint64_t length) {
    Check(fs::InBuffer(offset, length, kDriverBuffer) && length > 0);
    std::string path(reinterpret_cast<const char*>(buffer + offset), length);
    Check(path[0] == '/');
    if (path.size() == 1) return path;
    Check(path.back() != '/');
    size_t start = 1;
    while (start <= path.size()) {
      size_t end = path.find('/', start);
      if (end == std::string::npos) end = path.size();
      const std::string part = path.substr(start, end - start);
      Check(!part.empty() && part != "." && part != "..");
      start = end + 1;
    }
    return path;
  }

  static std::string Parent(const std::string& path) {
    const size_t slash = path.rfind('/');
    return slash == 0 ? "/" : path.substr(0, slash);
  }

  int Find(const std::string& path) const {
    for (size_t i = 0; i < nodes_.size(); ++i) {
      if (nodes_[i].path == path) return static_cast<int>(i);
    }
    return -1;
  }

  bool IsOpen(int node) const {
    for (int handle : handles_) {
      if (handle == node) return true;
    }
    return false;
  }

  uapi::IpcMessage Make(const std::string& path, bool directory) {
    if (Find(path) >= 0) return Reply(vfs::Error::kExists);
    const int parent = Find(Parent(path));
    if (parent < 0) return Reply(vfs::Error::kNotFound);
    if (!nodes_[parent].directory) return Reply(vfs::Error::kNotADirectory);
    if (nodes_.size() == kMaxNodes) return Reply(vfs::Error::kNoSpace);
    nodes_.push_back(Node{path, directory, {}});
    return Reply(vfs::Error::kOk);
  }

  uapi::IpcMessage Open(const std::string& path, uint64_t flags) {
    int node = Find(path);
    if (node >= 0 && (flags & vfs::kOpenCreate) && (flags & vfs::kOpenExclusive)) {
      return Reply(vfs::Error::kExists);
    }
    if (node < 0) {
      if ((flags & vfs::kOpenCreate) == 0) return Reply(vfs::Error::kNotFound);
      const uapi::IpcMessage made = Make(path, false);
      if (made.words[0] != 0) return made;
      node = static_cast<int>(nodes_.size() - 1);
    }
    if ((flags & vfs::kOpenTruncate) && !nodes_[node].directory) nodes_[node].data.clear();
    for (size_t h = 0; h < kMaxHandles; ++h) {
      if (handles_[h] < 0) {
        handles_[h] = node;
        return Reply(vfs::Error::kOk, h, nodes_[node].data.size(), nodes_[node].directory);
      }
    }
    return Reply(vfs::Error::kTooManyOpen);
  }

  uapi::IpcMessage Transfer(bool write, const uint64_t* w) {
    Check(w[1] < kMaxHandles && handles_[w[1]] >= 0);  // only handles we gave out
    Check(fs::InBuffer(w[3], w[4], kDriverBuffer));
    Node& node = nodes_[handles_[w[1]]];
    Check(!node.directory);  // vfsd refuses data operations on directories itself
    std::string& data = node.data;
    if (write) {
      if (w[2] > kMaxFileBytes || w[4] > kMaxFileBytes - w[2]) return Reply(vfs::Error::kNoSpace);
      if (data.size() < w[2] + w[4]) data.resize(w[2] + w[4]);
      memcpy(&data[w[2]], buffer + w[3], w[4]);
      return Reply(vfs::Error::kOk, w[4], data.size());
    }
    if (w[2] >= data.size()) return Reply(vfs::Error::kOk, 0);
    const uint64_t count = w[4] < data.size() - w[2] ? w[4] : data.size() - w[2];
    memcpy(buffer + w[3], data.data() + w[2], count);
    return Reply(vfs::Error::kOk, count);
  }

  uapi::IpcMessage ReadDir(const uint64_t* w) {
    Check(w[1] < kMaxHandles && handles_[w[1]] >= 0);
    Check(fs::InBuffer(w[3], w[4], kDriverBuffer));
    const std::string& dir = nodes_[handles_[w[1]]].path;
    if (!nodes_[handles_[w[1]]].directory) return Reply(vfs::Error::kNotADirectory);
    uint64_t index = 0;
    for (const Node& node : nodes_) {
      if (node.path == "/" || Parent(node.path) != dir) continue;
      if (index++ != w[2]) continue;
      const std::string name = node.path.substr(node.path.rfind('/') + 1);
      if (name.size() > w[4]) return Reply(vfs::Error::kOutOfRange);
      memcpy(buffer + w[3], name.data(), name.size());
      return Reply(vfs::Error::kOk, 1, node.data.size(), node.directory, name.size());
    }
    return Reply(vfs::Error::kOk, 0);
  }

  uapi::IpcMessage Unlink(const std::string& path) {
    const int node = Find(path);
    if (node < 0) return Reply(vfs::Error::kNotFound);
    if (path == "/") return Reply(vfs::Error::kBusy);
    for (const Node& other : nodes_) {
      if (other.path != "/" && Parent(other.path) == path) return Reply(vfs::Error::kNotEmpty);
    }
    if (IsOpen(node)) return Reply(vfs::Error::kBusy);
    nodes_.erase(nodes_.begin() + node);
    for (int& handle : handles_) {
      if (handle > node) --handle;
    }
    return Reply(vfs::Error::kOk);
  }

  uapi::IpcMessage Rename(const std::string& from, const std::string& to) {
    if (Find(from) < 0) return Reply(vfs::Error::kNotFound);
    if (Find(to) >= 0) return Reply(vfs::Error::kExists);
    if (from == "/" || to.compare(0, from.size() + 1, from + "/") == 0) {
      return Reply(vfs::Error::kInvalidRename);
    }
    const int parent = Find(Parent(to));
    if (parent < 0) return Reply(vfs::Error::kNotFound);
    if (!nodes_[parent].directory) return Reply(vfs::Error::kNotADirectory);
    for (Node& node : nodes_) {
      if (node.path == from) {
        node.path = to;
      } else if (node.path.compare(0, from.size() + 1, from + "/") == 0) {
        node.path = to + node.path.substr(from.size());
      }
    }
    return Reply(vfs::Error::kOk);
  }

  std::vector<Node> nodes_;
  int handles_[kMaxHandles] = {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                               -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
};

// Devices "mem0" and "mem1" of type "memfs"; each mount has its own MemFs (kept across restarts
// of its driver, like a disk).
class MemHost final : public vfsd::DriverHost {
 public:
  bool Knows(const char* device, const char* type) override {
    return strcmp(type, "memfs") == 0 &&
           (strcmp(device, "mem0") == 0 || strcmp(device, "mem1") == 0);
  }
  Result<vfsd::DriverPort, vfs::Error> Start(uint32_t mount, const char* device,
                                             const char* type) override {
    Check(mount < path::kMaxMounts);
    if (!Knows(device, type)) return Err(vfs::Error::kNoDevice);
    MemFs& fs = mounts[mount];
    fs.Restart();
    return vfsd::DriverPort{&fs, fs.buffer, kDriverBuffer};
  }
  void Stop(uint32_t) override {}
  void Kill(uint32_t mount) override {
    Check(mount < path::kMaxMounts);
    mounts[mount].dead = true;
  }
  MemFs mounts[path::kMaxMounts];
};

// The input, consumed a byte at a time (zeros past its end).
class Bytes {
 public:
  Bytes(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  bool done() const { return at_ >= size_; }
  uint8_t Next() { return at_ < size_ ? data_[at_++] : 0; }
  uint64_t Word() {
    uint64_t value = 0;
    for (int i = 0; i < 8; ++i) value = value << 8 | Next();
    return value;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t at_ = 0;
};

uint8_t g_session_buffers[kAttachedSessions][kSessionBuffer];

}  // namespace
}  // namespace hiillos

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hiillos;
  // Large: static, rebuilt for every input.
  static MemHost* host_storage = nullptr;
  static vfsd::Vfs* vfs_storage = nullptr;
  delete vfs_storage;
  delete host_storage;
  host_storage = new MemHost();
  vfs_storage = new vfsd::Vfs(*host_storage);
  vfsd::Vfs& vfs = *vfs_storage;
  Check(vfs.Mount("/", 1, "mem0", "memfs") == vfs::Error::kOk);
  Check(vfs.Mount("/m", 2, "mem1", "memfs") == vfs::Error::kOk);
  for (size_t s = 0; s < kAttachedSessions; ++s) {
    memset(g_session_buffers[s], 0, kSessionBuffer);
    vfs.Attach(s, g_session_buffers[s], kSessionBuffer);
  }
  Bytes in(data, size);
  for (int step = 0; step < 256 && !in.done(); ++step) {
    const uint8_t op = in.Next() % 17;  // every op, and 0 and 16 (unknown)
    const size_t session = in.Next() % vfsd::kMaxSessions;
    const uint8_t shape = in.Next();
    if (op == 0 && shape == 0xff) {  // a client's death
      vfs.EndSession(session);
      if (session < kAttachedSessions)
        vfs.Attach(session, g_session_buffers[session], kSessionBuffer);
      continue;
    }
    // Text for paths: written at the start of the session's buffer (when it has one).
    const uint8_t length = in.Next();
    if (session < kAttachedSessions) {
      for (uint8_t i = 0; i < length; ++i) g_session_buffers[session][i] = in.Next();
    }
    uapi::IpcMessage request;
    request.words[0] = op;
    if (shape & 0x80) {  // raw words: anything at all
      for (int i = 1; i < 6; ++i) request.words[i] = in.Word();
    } else {
      const uint8_t split = in.Next();
      const uint64_t a = in.Next();
      const uint64_t b = in.Next();
      switch (static_cast<vfs::Op>(op)) {
        case vfs::Op::kRename:
        case vfs::Op::kMount: {  // two strings: [0, split) and [split, length)
          const uint64_t cut = length == 0 ? 0 : split % (length + 1);
          request.words[1] = 0;
          request.words[2] = cut;
          request.words[3] = cut;
          request.words[4] = length - cut;
          break;
        }
        case vfs::Op::kRead:
        case vfs::Op::kWrite:
        case vfs::Op::kReadDir:
          request.words[1] = split % (vfsd::kMaxOpen + 2);
          request.words[2] = a * 16;
          request.words[3] = b * 97;
          break;
        case vfs::Op::kSeek:
          request.words[1] = split % (vfsd::kMaxOpen + 2);
          request.words[2] = (shape & 0x40) ? ~(a * 31) + 1 : a * 31;
          request.words[3] = b % 4;
          break;
        case vfs::Op::kClose:
          request.words[1] = split % (vfsd::kMaxOpen + 2);
          break;
        default:  // one path
          request.words[1] = 0;
          request.words[2] = length;
          request.words[3] = split;  // open flags (some unknown bits)
          break;
      }
    }
    const uapi::IpcMessage reply = vfs.Handle(session, request);
    Check(reply.words[0] <= static_cast<uint64_t>(vfs::Error::kReadOnly));
    if (reply.words[0] == 0 &&
        (op == uint64_t(vfs::Op::kRead) || op == uint64_t(vfs::Op::kWrite))) {
      Check(reply.words[1] <= request.words[3]);
    }
    Check(vfs.open_count() <= vfsd::kMaxOpen);
    size_t total = 0;
    for (size_t s = 0; s < vfsd::kMaxSessions; ++s) {
      Check(vfs.open_count(s) <= vfs::kMaxOpenPerSession);
      total += vfs.open_count(s);
    }
    Check(total == vfs.open_count());
    const uapi::IpcMessage stats = vfs.Handle(session, fs::Request(uint64_t(vfs::Op::kStats)));
    Check(stats.words[0] == 0 && stats.words[1] == vfs.open_count() &&
          stats.words[4] == vfs.open_count(session));
  }
  return 0;
}
