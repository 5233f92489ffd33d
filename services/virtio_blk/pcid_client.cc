// services/virtio_blk/pcid_client.cc — listing, claiming and configuration access through pcid.
#include "services/virtio_blk/pcid_client.h"

#include "lib/pci/capability.h"
#include "services/lib/print.h"
#include "services/lib/process_layout.h"
#include "services/lib/syscalls.h"
#include "services/pcid/protocol.h"
#include "uapi/ipc.h"

namespace hiillos::virtio_blk {

namespace {

using pcid::protocol::Error;
using pcid::protocol::Op;

// The IPC buffer the loader registered before this program started (services/lib/loader.h).
inline uapi::IpcBuffer* IpcBuffer() {
  return reinterpret_cast<uapi::IpcBuffer*>(rt::kIpcBufferAddress);
}

uint64_t Pack(pci::FunctionAddress a) {
  return pcid::protocol::PackAddress(a.segment, a.bus, a.device, a.function);
}

uapi::IpcMessage Request(Op op, uint64_t w1 = 0, uint64_t w2 = 0, uint64_t w3 = 0,
                         uint64_t w4 = 0) {
  uapi::IpcMessage message;
  message.words[0] = static_cast<uint64_t>(op);
  message.words[1] = w1;
  message.words[2] = w2;
  message.words[3] = w3;
  message.words[4] = w4;
  return message;
}

// The reply's status (kBadRequest when the call itself failed).
Error Status(const Result<uapi::IpcMessage, uapi::Status>& reply) {
  return reply.ok() ? static_cast<Error>(reply.value().words[0]) : Error::kBadRequest;
}

}  // namespace

uint64_t PcidConfig::Read(pci::FunctionAddress address, uint16_t offset, uint64_t width,
                          uint64_t ones) {
  auto reply = rt::Call(pcid_, Request(Op::kConfigRead, Pack(address), offset, width));
  return Status(reply) == Error::kOk ? reply.value().words[1] : ones;
}

void PcidConfig::Write(pci::FunctionAddress address, uint16_t offset, uint64_t width,
                       uint64_t value) {
  (void)rt::Call(pcid_, Request(Op::kConfigWrite, Pack(address), offset, width, value));
}

uint8_t PcidConfig::Read8(pci::FunctionAddress address, uint16_t offset) {
  return static_cast<uint8_t>(Read(address, offset, 1, 0xff));
}
uint16_t PcidConfig::Read16(pci::FunctionAddress address, uint16_t offset) {
  return static_cast<uint16_t>(Read(address, offset, 2, 0xffff));
}
uint32_t PcidConfig::Read32(pci::FunctionAddress address, uint16_t offset) {
  return static_cast<uint32_t>(Read(address, offset, 4, 0xffff'ffff));
}
void PcidConfig::Write8(pci::FunctionAddress address, uint16_t offset, uint8_t value) {
  Write(address, offset, 1, value);
}
void PcidConfig::Write16(pci::FunctionAddress address, uint16_t offset, uint16_t value) {
  Write(address, offset, 2, value);
}
void PcidConfig::Write32(pci::FunctionAddress address, uint16_t offset, uint32_t value) {
  Write(address, offset, 4, value);
}

const char* FindAndClaim(uint32_t pcid, uint32_t memory, PcidConfig& config, uint16_t vendor,
                         uint16_t device, uint64_t claim_flags, pcid::Claim& out,
                         uint32_t* dma_devices) {
  out = pcid::Claim{};
  bool found = false;
  for (uint64_t index = 0; !found; ++index) {
    auto reply = rt::Call(pcid, Request(Op::kList, index));
    if (Status(reply) != Error::kOk) return "no such function";
    const uapi::IpcMessage& m = reply.value();
    if ((m.words[2] & 0xffff) != vendor || (m.words[2] >> 16 & 0xffff) != device) continue;
    found = true;
    pci::Function& f = out.function;
    f.address = pci::FunctionAddress{
        static_cast<uint16_t>(m.words[1] >> 16), static_cast<uint8_t>(m.words[1] >> 8),
        static_cast<uint8_t>(m.words[1] >> 3 & 31), static_cast<uint8_t>(m.words[1] & 7)};
    f.vendor_id = vendor;
    f.device_id = device;
    f.class_code = static_cast<uint8_t>(m.words[3] >> 16);
    f.subclass = static_cast<uint8_t>(m.words[3] >> 8);
    f.prog_if = static_cast<uint8_t>(m.words[3]);
    f.bar_count = pci::kMaxBars;
    const uapi::IpcBuffer* buffer = IpcBuffer();
    for (uint8_t i = 0; i < pci::kMaxBars; ++i) {
      f.bars[i].base = buffer->words[2 * i];
      f.bars[i].size = buffer->words[2 * i + 1] & ((uint64_t{1} << 56) - 1);
      f.bars[i].kind = static_cast<pci::BarKind>(buffer->words[2 * i + 1] >> 56);
    }
  }
  pci::Function& f = out.function;
  // The lease: pcid watches the Sender; our Receiver closes when this process dies.
  auto lease = rt::MemoryAllocReceiver(memory);
  if (!lease.ok()) return "no memory for the claim's lease";
  auto lease_sender = rt::ReceiverCreateSender(memory, lease.value(), 0);
  if (!lease_sender.ok()) return "no memory for the claim's lease";
  IpcBuffer()->caps[0] = uapi::IpcCap{lease_sender.value(), uapi::kIpcMove, 0, 0};
  uapi::IpcMessage claim = Request(Op::kClaim, Pack(f.address), claim_flags);
  claim.info = uapi::IpcInfo::Make(0, 1);
  auto claimed = rt::Call(pcid, claim);
  if (Status(claimed) != Error::kOk) {
    rt::Printf("virtio-blk: claim: %s", pcid::protocol::ErrorName(Status(claimed)));
    return "pcid refused the claim";
  }
  const uapi::IpcMessage& m = claimed.value();
  const uint64_t caps = uapi::IpcInfo::Caps(m.info);
  if (caps < 3) return "the claim carried too few capabilities";
  const uapi::IpcBuffer* buffer = IpcBuffer();
  out.irq_line = buffer->caps[0].handle;
  out.notify = buffer->caps[1].handle;
  *dma_devices = buffer->caps[2].handle;
  const uint32_t lowest_frame = caps > 3 ? buffer->caps[3].handle : 0;
  out.interrupt = m.words[2] == pcid::protocol::kInterruptMsix   ? pcid::InterruptKind::kMsix
                  : m.words[2] == pcid::protocol::kInterruptMsi  ? pcid::InterruptKind::kMsi
                  : m.words[2] == pcid::protocol::kInterruptIntx ? pcid::InterruptKind::kIntx
                                                                 : pcid::InterruptKind::kNone;
  const uint64_t mask = m.words[1];
  const uint64_t offsets = m.words[3];
  bool lowest = true;
  for (uint8_t i = 0; i < pci::kMaxBars; ++i) {
    if ((mask >> i & 1) == 0) continue;
    out.bar_offset[i] = offsets >> (12 * i) & 0xfff;
    if (lowest) {
      out.bar_frames[i] = lowest_frame;
      lowest = false;
      continue;
    }
    auto bar = rt::Call(pcid, Request(Op::kClaimBar, Pack(f.address), i));
    if (Status(bar) != Error::kOk || uapi::IpcInfo::Caps(bar.value().info) != 1) {
      return "pcid refused a BAR frame";
    }
    out.bar_frames[i] = IpcBuffer()->caps[0].handle;
  }
  // Configuration access is the claimant's: the capability list is read after the claim.
  if (!pci::ReadCapabilities(config, f.address, f.bar_count, f.capabilities).ok()) {
    return "the capability list is unreadable through pcid";
  }
  return nullptr;
}

}  // namespace hiillos::virtio_blk
