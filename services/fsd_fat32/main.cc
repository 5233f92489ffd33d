// services/fsd_fat32/main.cc — /sbin/fsd.fat32: serves one FAT32 volume to vfsd.
//
// Capabilities (from vfsd, services/fsd_fat32/protocol.h): "endpoint" (Receiver), "buffer" (the
// frame shared with vfsd), "block" (a Sender to the block driver), "memory", "vmem", optionally
// "timed" (a Sender to timed: timestamps from its wall clock, timed_clock.h). Environment:
// "tsc_hz=N" (the fallback clock without timed or when it does not answer, tsc_clock.h). It
// attaches a buffer of its own to the block driver (capability transfer through the IPC buffer
// the loader gave it) when the first request arrives, mounts the volume, then serves requests
// until kShutdown or until vfsd's Sender is gone. A volume that does not mount is logged with the
// reason and every request gets the error; the driver stays up so vfsd can tell its clients why.
// When the block driver goes away under it (a block call fails with an IPC error, or the driver
// answers kNoBuffer: a restarted instance never saw our buffer, or a successor attached its own
// buffer on the same Sender and our attachment id is stale), the request gets kDriverUnavailable
// and fsd.fat32 exits: vfsd starts a fresh one on the next use of the mount, which attaches again
// (docs/protocols/vfs.md).
#include "lib/base/placement_new.h"
#include "lib/fat32/error.h"
#include "services/fsd_fat32/block_client.h"
#include "services/fsd_fat32/fsd_server.h"
#include "services/fsd_fat32/timed_clock.h"
#include "services/fsd_fat32/tsc_clock.h"
#include "services/lib/print.h"
#include "services/lib/program.h"
#include "services/lib/syscalls.h"
#include "services/lib/tsc.h"
#include "services/timed/protocol.h"
#include "services/vfsd/ipc_channel.h"
#include "services/vfsd/text.h"

namespace {

using namespace hiillos;

constexpr uint64_t kVfsBufferAddress = 0x0000'2900'0000'0000ull;
constexpr uint64_t kBlockBufferAddress = 0x0000'2a00'0000'0000ull;
constexpr unsigned kBlockBufferOrder = 4;  // 64 KiB

uint64_t Tsc() {
  return rt::ReadTsc();
}

void ReportMount(fat32::Error error) {
  rt::Printf("fsd.fat32: cannot mount the volume: %s; refusing every request",
             fat32::ErrorName(error));
}

// The decimal value of environment entry `key`, 0 when absent or not a number.
uint64_t EnvNumber(const startinfo::StartInfo& start, const char* key) {
  startinfo::Text value;
  if (!start.FindEnv(startinfo::Text{key, fs::Length(key)}, &value)) return 0;
  uint64_t number = 0;
  for (size_t i = 0; i < value.length && i < 19; ++i) {
    if (value.data[i] < '0' || value.data[i] > '9') return 0;
    number = number * 10 + static_cast<uint64_t>(value.data[i] - '0');
  }
  return number;
}

// timed's wall clock (TimedClock's transport); context: the Sender to timed.
bool AskTimed(void* context, uint64_t* unix_ns) {
  const uint32_t timed = *static_cast<const uint32_t*>(context);
  auto reply = rt::Call(timed, fs::Request(timed::kOpWallClock));
  if (!reply.ok() || reply.value().words[0] != timed::kOk) return false;
  *unix_ns = reply.value().words[1];
  return true;
}

struct BlockAttachment {
  uint64_t size = 0;  // the buffer's size in bytes
  uint64_t id = 0;    // what reads and writes name (block::Op::kAttachBuffer)
};

// Allocates the block session's buffer and attaches it (a copy of the capability moves).
// `*unreachable` tells whether the call itself failed (no block driver behind the Sender).
Result<BlockAttachment, block::Error> AttachBlockBuffer(uint32_t block, uint32_t memory,
                                                        uint32_t vmem, bool* unreachable) {
  *unreachable = false;
  auto frame = rt::MemoryAllocFrame(memory, kBlockBufferOrder);
  if (!frame.ok()) return Err(block::Error::kNoBuffer);
  if (!rt::VmemMap(vmem, frame.value(), kBlockBufferAddress, uapi::kMapRead | uapi::kMapWrite,
                   memory)
           .ok()) {
    return Err(block::Error::kNoBuffer);
  }
  auto copy = rt::CapDerive(frame.value(), uapi::Rights::kRead | uapi::Rights::kWrite |
                                               uapi::Rights::kMap | uapi::Rights::kTransfer);
  if (!copy.ok()) return Err(block::Error::kNoBuffer);
  uapi::IpcBuffer* ipc = fs::IpcBuffer();
  ipc->caps[0] = uapi::IpcCap{copy.value(), uapi::kIpcMove, 0, 0};
  uapi::IpcMessage request = fs::Request(static_cast<uint64_t>(block::Op::kAttachBuffer));
  request.info = uapi::IpcInfo::Make(0, 1);
  auto reply = rt::Call(block, request);
  *unreachable = !reply.ok();
  if (!reply.ok()) return Err(block::Error::kDeviceError);
  if (reply.value().words[0] != 0) return Err(static_cast<block::Error>(reply.value().words[0]));
  if (reply.value().words[2] == 0) return Err(block::Error::kDeviceError);  // ids are never 0
  return BlockAttachment{reply.value().words[1], reply.value().words[2]};
}

}  // namespace

int ProgramMain(const startinfo::StartInfo& start) {
  const uint32_t endpoint = rt::FindCap(start, "endpoint");
  const uint32_t buffer = rt::FindCap(start, "buffer");
  const uint32_t block = rt::FindCap(start, "block");
  const uint32_t memory = rt::FindCap(start, "memory");
  const uint32_t vmem = rt::FindCap(start, "vmem");
  if (endpoint == 0 || buffer == 0 || block == 0 || memory == 0 || vmem == 0) {
    rt::Printf("fsd.fat32: missing capabilities (endpoint, buffer, block, memory, vmem)");
    return 1;
  }
  auto buffer_info = rt::FrameInfo(buffer);
  if (!buffer_info.ok() ||
      !rt::VmemMap(vmem, buffer, kVfsBufferAddress, uapi::kMapRead | uapi::kMapWrite, memory)
           .ok()) {
    rt::Printf("fsd.fat32: cannot map the buffer shared with vfsd");
    return 1;
  }
  auto reply_slot = rt::MemoryAllocReply(memory);
  if (!reply_slot.ok()) return 1;

  fs::IpcChannel channel(block);
  fsd::TscClock tsc_clock(Tsc, EnvNumber(start, "tsc_hz"));
  uint32_t timed = rt::FindCap(start, "timed");
  fsd::TimedClock timed_clock(AskTimed, &timed, tsc_clock);
  fat32::Clock& clock = timed != 0 ? static_cast<fat32::Clock&>(timed_clock) : tsc_clock;
  rt::Printf("fsd.fat32: timestamps from %s",
             timed != 0 ? "timed's wall clock" : "a fixed epoch plus the TSC (no timed)");
  // Built on the first request (so a driver nobody uses never touches the block device).
  alignas(fsd::BlockClient) uint8_t device_storage[sizeof(fsd::BlockClient)];
  alignas(fsd::FsdServer) uint8_t server_storage[sizeof(fsd::FsdServer)];
  bool first_request = true;
  fsd::FsdServer* server = nullptr;
  fsd::BlockClient* device = nullptr;
  bool block_gone = false;  // the block driver died under us: answer kDriverUnavailable, exit

  // Receive; after the first request, answer the last one and receive in one call.
  uapi::IpcMessage reply;
  bool answering = false;
  for (;;) {
    auto message = answering ? rt::ReplyRecv(endpoint, reply_slot.value(), reply)
                             : rt::Recv(endpoint, reply_slot.value(), uapi::IpcMessage{});
    answering = false;
    if (!message.ok()) {
      if (message.error() == uapi::Status::kDead) break;  // vfsd is gone
      continue;  // a caller that went away while we answered it
    }
    reply = uapi::IpcMessage{};
    if (first_request) {
      first_request = false;
      auto attached = AttachBlockBuffer(block, memory, vmem, &block_gone);
      block::Error failure = attached.ok() ? block::Error::kOk : attached.error();
      if (attached.ok()) {
        device = new (device_storage)
            fsd::BlockClient(channel, reinterpret_cast<uint8_t*>(kBlockBufferAddress),
                             attached.value().size, attached.value().id);
        if (auto connected = device->Connect(); !connected.ok()) {
          failure = connected.error();
          block_gone = device->lost();
        } else {
          server = new (server_storage)
              fsd::FsdServer(*device, clock, reinterpret_cast<uint8_t*>(kVfsBufferAddress),
                             buffer_info.value().size_bytes, ReportMount);
        }
      }
      if (server == nullptr) {
        rt::Printf("fsd.fat32: block device unusable: %s; refusing every request",
                   block::ErrorName(failure));
      }
    }
    const auto op = static_cast<fsd::Op>(message.value().words[0]);
    if (op == fsd::Op::kShutdown) {
      reply.words[0] = static_cast<uint64_t>(vfs::Error::kOk);
      (void)rt::Reply(reply_slot.value(), reply);
      return 0;  // lib/fat32 wrote everything back at the end of each call
    }
    if (server == nullptr) {
      reply.words[0] =
          static_cast<uint64_t>(block_gone ? vfs::Error::kDriverUnavailable : vfs::Error::kIoError);
    } else {
      reply = server->Handle(message.value());
      block_gone = device->lost();
    }
    if (block_gone) {
      rt::Printf("fsd.fat32: the block device went away; exiting (vfsd restarts us)");
      reply = uapi::IpcMessage{};
      reply.words[0] = static_cast<uint64_t>(vfs::Error::kDriverUnavailable);
      (void)rt::Reply(reply_slot.value(), reply);
      return 2;
    }
    answering = true;
  }
  return 0;
}
