// services/vfsd/client.cc — vfs requests built from C strings and memory ranges.
#include "services/vfsd/client.h"

#include "services/vfsd/text.h"

namespace hiillos::vfs {

namespace {

uint64_t W(Op op) {
  return static_cast<uint64_t>(op);
}

}  // namespace

Result<uint64_t, Error> Client::Put(const char* text, uint64_t at) {
  const size_t length = fs::Length(text);
  if (!fs::InBuffer(at, length, buffer_size_)) return Err(Error::kBadPath);
  __builtin_memcpy(buffer_ + at, text, length);
  return length;
}

Result<uapi::IpcMessage, Error> Client::Call(const uapi::IpcMessage& request) {
  auto reply = channel_.Call(request);
  if (!reply.ok()) return Err(Error::kDriverUnavailable);  // vfsd itself is gone
  if (reply.value().words[0] != 0) return Err(static_cast<Error>(reply.value().words[0]));
  return reply.value();
}

Result<void, Error> Client::PathCall(Op op, const char* path) {
  auto length = Put(path, 0);
  if (!length.ok()) return Err(length.error());
  auto reply = Call(fs::Request(W(op), 0, length.value()));
  if (!reply.ok()) return Err(reply.error());
  return Ok<Error>();
}

Result<Opened, Error> Client::Open(const char* path, uint64_t flags) {
  auto length = Put(path, 0);
  if (!length.ok()) return Err(length.error());
  auto reply = Call(fs::Request(W(Op::kOpen), 0, length.value(), flags));
  if (!reply.ok()) return Err(reply.error());
  return Opened{reply.value().words[1], reply.value().words[2], reply.value().words[3] != 0};
}

Result<uint64_t, Error> Client::Read(uint64_t handle, uint8_t* out, uint64_t length) {
  uint64_t done = 0;
  while (done < length) {
    const uint64_t chunk = length - done < buffer_size_ ? length - done : buffer_size_;
    auto reply = Call(fs::Request(W(Op::kRead), handle, 0, chunk));
    if (!reply.ok()) return Err(reply.error());
    const uint64_t count = reply.value().words[1];
    if (count > chunk) return Err(Error::kBadRequest);
    __builtin_memcpy(out + done, buffer_, count);
    done += count;
    if (count < chunk) break;
  }
  return done;
}

Result<uint64_t, Error> Client::Write(uint64_t handle, const uint8_t* data, uint64_t length) {
  uint64_t done = 0;
  while (done < length) {
    const uint64_t chunk = length - done < buffer_size_ ? length - done : buffer_size_;
    __builtin_memcpy(buffer_, data + done, chunk);
    auto reply = Call(fs::Request(W(Op::kWrite), handle, 0, chunk));
    if (!reply.ok()) return Err(reply.error());
    const uint64_t count = reply.value().words[1];
    if (count > chunk) return Err(Error::kBadRequest);
    done += count;
    if (count < chunk) break;
  }
  return done;
}

Result<uint64_t, Error> Client::Seek(uint64_t handle, int64_t offset, uint64_t whence) {
  auto reply = Call(fs::Request(W(Op::kSeek), handle, static_cast<uint64_t>(offset), whence));
  if (!reply.ok()) return Err(reply.error());
  return reply.value().words[1];
}

Result<Status, Error> Client::Stat(const char* path) {
  auto length = Put(path, 0);
  if (!length.ok()) return Err(length.error());
  auto reply = Call(fs::Request(W(Op::kStat), 0, length.value()));
  if (!reply.ok()) return Err(reply.error());
  return Status{reply.value().words[1], reply.value().words[2] != 0, reply.value().words[3]};
}

Result<bool, Error> Client::ReadDir(uint64_t handle, Entry* out) {
  const uint64_t capacity = buffer_size_ < kMaxEntryName ? buffer_size_ : kMaxEntryName;
  auto reply = Call(fs::Request(W(Op::kReadDir), handle, 0, capacity));
  if (!reply.ok()) return Err(reply.error());
  const uint64_t* r = reply.value().words;
  if (r[1] == 0) return false;
  if (r[4] > capacity) return Err(Error::kBadRequest);
  __builtin_memcpy(out->name, buffer_, r[4]);
  out->name[r[4]] = '\0';
  out->name_length = r[4];
  out->size = r[2];
  out->directory = r[3] != 0;
  return true;
}

Result<void, Error> Client::Mkdir(const char* path) {
  return PathCall(Op::kMkdir, path);
}

Result<void, Error> Client::Unlink(const char* path) {
  return PathCall(Op::kUnlink, path);
}

Result<void, Error> Client::Rename(const char* from, const char* to) {
  auto from_length = Put(from, 0);
  if (!from_length.ok()) return Err(from_length.error());
  auto to_length = Put(to, from_length.value());
  if (!to_length.ok()) return Err(to_length.error());
  auto reply = Call(
      fs::Request(W(Op::kRename), 0, from_length.value(), from_length.value(), to_length.value()));
  if (!reply.ok()) return Err(reply.error());
  return Ok<Error>();
}

Result<void, Error> Client::Close(uint64_t handle) {
  auto reply = Call(fs::Request(W(Op::kClose), handle));
  if (!reply.ok()) return Err(reply.error());
  return Ok<Error>();
}

Result<void, Error> Client::Mount(const char* point, const char* spec) {
  auto point_length = Put(point, 0);
  if (!point_length.ok()) return Err(point_length.error());
  auto spec_length = Put(spec, point_length.value());
  if (!spec_length.ok()) return Err(spec_length.error());
  auto reply = Call(fs::Request(W(Op::kMount), 0, point_length.value(), point_length.value(),
                                spec_length.value()));
  if (!reply.ok()) return Err(reply.error());
  return Ok<Error>();
}

Result<void, Error> Client::Unmount(const char* point) {
  return PathCall(Op::kUnmount, point);
}

}  // namespace hiillos::vfs
