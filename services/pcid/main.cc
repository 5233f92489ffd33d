// services/pcid/main.cc — /sbin/pcid: finds PCI Express (discovery.h) once at start and serves
// the pcid protocol (protocol.h, docs/protocols/pci.md) to drivers: list the functions, claim
// one (claim.h; the BAR frame, IrqLine, Notify and a Read-only DeviceMemory move to the caller),
// further BAR frames and configuration access limited to the claimant's function.
// Capabilities: "endpoint" (its Receiver), "memory", "vmem", "devices" (DeviceMemory: Read,
// Write), "irq" (the IRQ authority for IrqMsiBind and IrqGsiBind). Argument 1: the ACPI RSDP's
// physical address (hexadecimal, the boot information's acpi_rsdp). A claim ends when the claimant
// releases it (kRelease) or dies: kClaim carries a lease Sender whose Receiver the driver keeps,
// and an rt::ExitWatcher helper Calls it until that Receiver closes (services/lib/exit_watch.h).
// Uses the IPC buffer the loader registers before the program starts (rt::kIpcBufferAddress): any
// spawner through rt::Spawn (fs::SpawnProgram, proc) gives it. Exits when its last Sender is gone.
#include "lib/base/placement_new.h"
#include "services/lib/exit_watch.h"
#include "services/lib/print.h"
#include "services/lib/process_layout.h"
#include "services/lib/program.h"
#include "services/lib/syscalls.h"
#include "services/pcid/claim.h"
#include "services/pcid/discovery.h"
#include "services/pcid/intx.h"
#include "services/pcid/protocol.h"
#include "services/proc/ready.h"

extern "C" void __cxa_pure_virtual() {
  __builtin_trap();
}

namespace {

using namespace hiillos;
using pcid::protocol::Error;
using pcid::protocol::Op;

// The IPC buffer the loader registered before this program started (services/lib/loader.h).
inline uapi::IpcBuffer* IpcBuffer() {
  return reinterpret_cast<uapi::IpcBuffer*>(rt::kIpcBufferAddress);
}

// Where ECAM windows, ACPI tables, MSI-X tables and BAR frames are mapped.
constexpr uint64_t kDeviceWindow = 0x0000'1800'0000'0000ull;
constexpr uint64_t kDeviceWindowSize = 0x0000'0010'0000'0000ull;
constexpr uint32_t kMaxClaims = 16;

struct ClaimRecord {
  uint64_t address = 0;
  uint64_t badge = 0;
  uint64_t lease_slot = 0;  // the ExitWatcher slot watching the claimant's lease
  pcid::Claim claim;
};

alignas(pcid::PciSystem) uint8_t g_pci_storage[sizeof(pcid::PciSystem)];
ClaimRecord g_claims[kMaxClaims];
uint32_t g_claim_count = 0;

uint64_t ParseHex(const char* text) {
  if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) text += 2;
  uint64_t value = 0;
  for (int i = 0; i < 16; ++i) {
    const char c = text[i];
    uint64_t digit;
    if (c >= '0' && c <= '9') {
      digit = static_cast<uint64_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      digit = static_cast<uint64_t>(c - 'a' + 10);
    } else {
      break;
    }
    value = value << 4 | digit;
  }
  return value;
}

uint64_t Pack(const pci::FunctionAddress& a) {
  return pcid::protocol::PackAddress(a.segment, a.bus, a.device, a.function);
}

const pci::Function* FindFunction(const pcid::PciSystem& pci, uint64_t address) {
  for (uint32_t i = 0; i < pci.table.count; ++i) {
    if (Pack(pci.table.functions[i].address) == address) return &pci.table.functions[i];
  }
  return nullptr;
}

ClaimRecord* FindClaim(uint64_t address) {
  for (uint32_t i = 0; i < g_claim_count; ++i) {
    if (g_claims[i].address == address) return &g_claims[i];
  }
  return nullptr;
}

ClaimRecord* FindLease(uint64_t slot) {
  for (uint32_t i = 0; i < g_claim_count; ++i) {
    if (g_claims[i].lease_slot == slot) return &g_claims[i];
  }
  return nullptr;
}

// Deletes what a failed ClaimFunction made (the IrqLine frees its vector), so the function can be
// claimed again.
void ForgetClaim(pci::ConfigSpace& config, uint32_t vmem, pcid::Claim& claim) {
  pcid::QuiesceFunction(config, vmem, claim);
  for (uint32_t& frame : claim.bar_frames) {
    if (frame != 0) (void)rt::CapDelete(frame);
    frame = 0;
  }
  if (claim.irq_line != 0) (void)rt::CapDelete(claim.irq_line);
  if (claim.notify != 0) (void)rt::CapDelete(claim.notify);
  claim = pcid::Claim{};
}

uapi::IpcMessage Reply(Error error) {
  uapi::IpcMessage reply;
  reply.words[0] = static_cast<uint64_t>(error);
  return reply;
}

// Where the function's INTx pin arrives (the _PRT, through bridges), if pcid knows.
Result<acpi::PciIntxRoute, pcid::IntxError> IntxRoute(const pcid::PciSystem& pci,
                                                      const pci::Function& f) {
  if (!pci.routing_ok) return Err(pcid::IntxError::kNotInTable);
  return pcid::RouteIntx(pci.table, pci.routing, pci.root_bus, f);
}

uapi::IpcMessage List(const pcid::PciSystem& pci, uint64_t index) {
  if (index >= pci.table.count) return Reply(Error::kBadRequest);
  const pci::Function& f = pci.table.functions[index];
  uapi::IpcMessage reply = Reply(Error::kOk);
  reply.words[1] = Pack(f.address);
  reply.words[2] = uint64_t{f.vendor_id} | uint64_t{f.device_id} << 16;
  reply.words[3] = uint64_t{f.class_code} << 16 | uint64_t{f.subclass} << 8 | f.prog_if;
  reply.words[4] = pci.table.count;
  reply.words[5] = (f.capabilities.msi.present ? pcid::protocol::kHasMsi : 0) |
                   (f.capabilities.msix.present ? pcid::protocol::kHasMsix : 0) |
                   (IntxRoute(pci, f).ok() ? pcid::protocol::kHasIntx : 0);
  uapi::IpcBuffer* buffer = IpcBuffer();
  for (uint8_t i = 0; i < pci::kMaxBars; ++i) {
    const bool present = i < f.bar_count && f.bars[i].kind != pci::BarKind::kNone;
    buffer->words[2 * i] = present ? f.bars[i].base : 0;
    buffer->words[2 * i + 1] =
        present ? (f.bars[i].size | uint64_t{static_cast<uint8_t>(f.bars[i].kind)} << 56) : 0;
  }
  const ClaimRecord* claim = FindClaim(reply.words[1]);
  buffer->words[2 * pci::kMaxBars] = claim != nullptr ? claim->badge + 1
                                     : f.held         ? pcid::protocol::kClaimantUnknown
                                                      : 0;
  reply.info = uapi::IpcInfo::Make(2 * pci::kMaxBars + 1, 0);
  return reply;
}

struct Authorities {
  uint32_t memory;
  uint32_t vmem;
  uint32_t devices;
  uint32_t irq;
};

// Ends a claim (kRelease, or the claimant's lease ended): the function quiesced, pcid's BAR
// frames deleted, the record freed. The claimant's own copies die with it (or stay with a live
// claimant that released: the kernel has no revocation; releasing is its promise to stop).
void EndClaim(pcid::PciSystem& pci, uint32_t vmem, ClaimRecord& record, const char* why) {
  rt::Printf("pcid: claim of %#lx by badge %lu ended: %s", record.address, record.badge, why);
  ForgetClaim(pci.config, vmem, record.claim);
  record = g_claims[--g_claim_count];
  g_claims[g_claim_count] = ClaimRecord{};
}

// `lease` is the claimant's lease Sender (ours now), watched until its Receiver closes.
uapi::IpcMessage Claim(pcid::PciSystem& pci, pcid::DeviceMapper& mapper, const Authorities& auth,
                       rt::ExitWatcher& watcher, uint64_t address, uint64_t flags, uint64_t badge,
                       uint32_t lease) {
  const pci::Function* function = FindFunction(pci, address);
  if (lease == 0) return Reply(Error::kBadRequest);
  if (function == nullptr) return Reply(Error::kNoSuchFunction);
  if (FindClaim(address) != nullptr || function->held) return Reply(Error::kClaimed);
  if (g_claim_count == kMaxClaims) return Reply(Error::kNoResources);
  if ((flags & ~pcid::protocol::kClaimFlags) != 0) return Reply(Error::kBadRequest);
  const bool has_msi = function->capabilities.msix.present || function->capabilities.msi.present;
  acpi::PciIntxRoute intx;
  const bool use_intx = (flags & pcid::protocol::kClaimIntx) != 0 || !has_msi;
  if (use_intx) {
    auto route = IntxRoute(pci, *function);
    if (!route.ok()) {
      rt::Printf("pcid: %#lx: no INTx: %s", address,
                 pci.routing_ok ? pcid::IntxErrorName(route.error())
                                : acpi::ErrorString(pci.routing_error));
      return Reply(Error::kNoInterrupt);
    }
    intx = route.value();
  }
  auto watch = watcher.WatchLease(lease, address);
  if (!watch.ok()) {
    rt::Printf("pcid: cannot watch the lease for %#lx: status %u", address,
               static_cast<unsigned>(watch.error()));
    return Reply(Error::kNoResources);
  }
  ClaimRecord& record = g_claims[g_claim_count];
  const char* error = pcid::ClaimFunction(pci.config, *function, mapper, auth.devices, auth.memory,
                                          auth.irq, use_intx ? &intx : nullptr, record.claim);
  auto dma = error == nullptr
                 ? rt::CapDerive(auth.devices, uapi::Rights::kRead | uapi::Rights::kTransfer)
                 : Result<uint32_t, uapi::Status>(Err(uapi::Status::kOutOfMemory));
  if (!dma.ok()) {
    rt::Printf("pcid: claim of %#lx failed: %s", address, error != nullptr ? error : "derive");
    ForgetClaim(pci.config, auth.vmem, record.claim);
    watcher.Cancel(watch.value());
    return Reply(Error::kNoResources);
  }
  record.address = address;
  record.badge = badge;
  record.lease_slot = watch.value();
  ++g_claim_count;

  uapi::IpcMessage reply = Reply(Error::kOk);
  uint64_t mask = 0;
  uint64_t offsets = 0;
  int lowest = -1;
  for (uint8_t i = 0; i < pci::kMaxBars; ++i) {
    if (record.claim.bar_frames[i] == 0) continue;
    mask |= uint64_t{1} << i;
    offsets |= (record.claim.bar_offset[i] & 0xfff) << (12 * i);
    if (lowest < 0) lowest = i;
  }
  reply.words[1] = mask;
  reply.words[2] =
      record.claim.interrupt == pcid::InterruptKind::kMsix  ? pcid::protocol::kInterruptMsix
      : record.claim.interrupt == pcid::InterruptKind::kMsi ? pcid::protocol::kInterruptMsi
                                                            : pcid::protocol::kInterruptIntx;
  reply.words[3] = offsets;
  uapi::IpcBuffer* buffer = IpcBuffer();
  buffer->caps[0] = uapi::IpcCap{record.claim.irq_line, uapi::kIpcMove, 0, 0};
  buffer->caps[1] = uapi::IpcCap{record.claim.notify, uapi::kIpcMove, 0, 0};
  buffer->caps[2] = uapi::IpcCap{dma.value(), uapi::kIpcMove, 0, 0};
  uint64_t caps = 3;
  if (lowest >= 0) {
    const uapi::Rights rights = uapi::Rights::kRead | uapi::Rights::kWrite | uapi::Rights::kMap;
    buffer->caps[3] = uapi::IpcCap{record.claim.bar_frames[lowest], uapi::kIpcCopy,
                                   static_cast<uint32_t>(rights.bits), 0};
    caps = 4;
  }
  record.claim.irq_line = 0;  // moved to the driver
  record.claim.notify = 0;
  reply.info = uapi::IpcInfo::Make(0, caps);
  if (use_intx) {
    rt::Printf("pcid: %#lx claimed by badge %lu (INTx pin %u: GSI %u, %s, active %s)", address,
               badge, function->interrupt_pin, intx.gsi, intx.level ? "level" : "edge",
               intx.active_low ? "low" : "high");
  } else {
    rt::Printf("pcid: %#lx claimed by badge %lu", address, badge);
  }
  return reply;
}

// kRelease: the claimant gives the function back.
uapi::IpcMessage Release(pcid::PciSystem& pci, uint32_t vmem, rt::ExitWatcher& watcher,
                         uint64_t address, uint64_t badge) {
  ClaimRecord* record = FindClaim(address);
  if (record == nullptr || record->badge != badge) return Reply(Error::kClaimed);
  watcher.Cancel(record->lease_slot);
  EndClaim(pci, vmem, *record, "released");
  return Reply(Error::kOk);
}

// An ExitNotice: a claimant's lease ended (it died, or closed its lease Receiver).
uapi::IpcMessage LeaseEnded(pcid::PciSystem& pci, uint32_t vmem, rt::ExitWatcher& watcher,
                            const uapi::IpcMessage& notice) {
  const uint64_t slot = notice.words[5];
  ClaimRecord* record = FindLease(slot);
  if (record != nullptr && record->address == notice.words[1]) {
    EndClaim(pci, vmem, *record, "the claimant is gone");
  }
  watcher.Done(slot);
  return Reply(Error::kOk);
}

uapi::IpcMessage ClaimBar(uint64_t address, uint64_t bar, uint64_t badge) {
  ClaimRecord* record = FindClaim(address);
  if (record == nullptr || record->badge != badge) return Reply(Error::kClaimed);
  if (bar >= pci::kMaxBars || record->claim.bar_frames[bar] == 0) return Reply(Error::kBadRequest);
  const uapi::Rights rights = uapi::Rights::kRead | uapi::Rights::kWrite | uapi::Rights::kMap;
  IpcBuffer()->caps[0] = uapi::IpcCap{record->claim.bar_frames[bar], uapi::kIpcCopy,
                                      static_cast<uint32_t>(rights.bits), 0};
  uapi::IpcMessage reply = Reply(Error::kOk);
  reply.info = uapi::IpcInfo::Make(0, 1);
  return reply;
}

uapi::IpcMessage Config(pcid::PciSystem& pci, const uapi::IpcMessage& request, bool write,
                        uint64_t badge) {
  const uint64_t address = request.words[1];
  const uint64_t offset = request.words[2];
  const uint64_t width = request.words[3];
  ClaimRecord* record = FindClaim(address);
  if (record == nullptr || record->badge != badge) return Reply(Error::kClaimed);
  if (!pcid::protocol::ConfigAccessAllowed(offset, width, write)) return Reply(Error::kBadRequest);
  const pci::FunctionAddress fa = record->claim.function.address;
  const auto at = static_cast<uint16_t>(offset);
  uapi::IpcMessage reply = Reply(Error::kOk);
  if (write) {
    const uint64_t value = request.words[4];
    if (width == 1) pci.config.Write8(fa, at, static_cast<uint8_t>(value));
    if (width == 2) pci.config.Write16(fa, at, static_cast<uint16_t>(value));
    if (width == 4) pci.config.Write32(fa, at, static_cast<uint32_t>(value));
  } else {
    if (width == 1) reply.words[1] = pci.config.Read8(fa, at);
    if (width == 2) reply.words[1] = pci.config.Read16(fa, at);
    if (width == 4) reply.words[1] = pci.config.Read32(fa, at);
  }
  return reply;
}

}  // namespace

int ProgramMain(const startinfo::StartInfo& start) {
  const uint32_t endpoint = rt::FindCap(start, "endpoint");
  const uint32_t memory = rt::FindCap(start, "memory");
  const uint32_t vmem = rt::FindCap(start, "vmem");
  const uint32_t devices = rt::FindCap(start, "devices");
  const uint32_t irq = rt::FindCap(start, "irq");
  if (endpoint == 0 || memory == 0 || vmem == 0 || devices == 0 || irq == 0 ||
      start.arg_count() < 2) {
    rt::Printf("pcid: needs endpoint, memory, vmem, devices, irq and the RSDP address");
    return 1;
  }
  pcid::PciSystem& pci = *new (g_pci_storage) pcid::PciSystem();
  pcid::DeviceMapper mapper(memory, vmem, devices, kDeviceWindow, kDeviceWindowSize);
  if (const char* error = pcid::DiscoverPci(mapper, ParseHex(rt::Arg(start, 1)), pci)) {
    rt::Printf("pcid: discovery failed: %s", error);
    return 1;
  }
  rt::Printf("pcid: %u functions on %u buses", pci.table.count, pci.table.buses_scanned);
  for (uint32_t i = 0; i < pci.table.count; ++i) {
    if (!pci.table.functions[i].held) continue;
    rt::Printf(
        "pcid: %#lx is held by a driver from before this pcid (MSI or MSI-X on): left "
        "as it is, listed as claimed by an unknown driver, not claimable",
        Pack(pci.table.functions[i].address));
  }
  const Authorities auth{memory, vmem, devices, irq};
  // Leases: each helper gets its own notice Sender (so pcid still exits when its last client is
  // gone); making them needs Write on the endpoint.
  rt::ExitWatcher& watcher = *new rt::ExitWatcher(memory, vmem, 0);
  watcher.MintSendersFrom(endpoint);
  auto reply_slot = rt::MemoryAllocReply(memory);
  if (!reply_slot.ok()) return 1;
  (void)proc::SignalReady(rt::FindCap(start, "proc"));  // discovery done: it serves

  uapi::IpcMessage reply;
  bool answering = false;
  for (;;) {
    auto message = answering ? rt::ReplyRecv(endpoint, reply_slot.value(), reply)
                             : rt::Recv(endpoint, reply_slot.value(), uapi::IpcMessage{});
    answering = false;
    if (!message.ok()) {
      if (message.error() == uapi::Status::kDead) break;
      continue;
    }
    const uapi::IpcMessage& request = message.value();
    // Only kClaim carries a capability (exactly one: the lease): drop any other.
    const uint64_t caps = uapi::IpcInfo::Caps(request.info);
    const bool notice = request.badge == rt::kExitNoticeBadge &&
                        request.words[0] == rt::ExitNotice::kCode && caps == 0;
    uint32_t lease = 0;
    if (static_cast<Op>(request.words[0]) == Op::kClaim && caps == 1 && !notice) {
      lease = IpcBuffer()->caps[0].handle;
    } else {
      for (uint64_t i = 0; i < caps && i < uapi::kIpcMaxCaps; ++i) {
        (void)rt::CapDelete(IpcBuffer()->caps[i].handle);
      }
    }
    if (notice) {
      reply = LeaseEnded(pci, vmem, watcher, request);
      answering = true;
      continue;
    }
    switch (static_cast<Op>(request.words[0])) {
      case Op::kList:
        reply = List(pci, request.words[1]);
        break;
      case Op::kClaim:
        reply = Claim(pci, mapper, auth, watcher, request.words[1], request.words[2], request.badge,
                      lease);
        // The helper holds its own copy of the lease; an unused one goes.
        if (lease != 0) (void)rt::CapDelete(lease);
        break;
      case Op::kRelease:
        reply = Release(pci, vmem, watcher, request.words[1], request.badge);
        break;
      case Op::kClaimBar:
        reply = ClaimBar(request.words[1], request.words[2], request.badge);
        break;
      case Op::kConfigRead:
        reply = Config(pci, request, false, request.badge);
        break;
      case Op::kConfigWrite:
        reply = Config(pci, request, true, request.badge);
        break;
      default:
        reply = Reply(Error::kBadRequest);
        break;
    }
    answering = true;
  }
  return 0;
}
