// testing/conformance/cases_hardware.cc — IrqLineBind, IrqGsiBind, IrqLineAck, IoPortRangeSplit,
// IoPortRangeEnable: the root's authorities, binding and unbinding lines, splitting port
// ranges, and port I/O that works only for the ports a thread was granted (#GP otherwise).
#include "testing/conformance/child.h"
#include "testing/conformance/harness.h"
#include "uapi/rights.h"

namespace hiillos::conformance {
namespace {

using uapi::ExitReason;
using uapi::Rights;
using uapi::Status;

constexpr Handle kIrqAuthority = uapi::kRootIrqHandle;
constexpr Handle kAllPorts = uapi::kRootIoPortHandle;
constexpr uint64_t kKeyboardIrq = 1;
constexpr uint64_t kFaulted = static_cast<uint64_t>(ExitReason::kFaulted);
constexpr uint64_t kExited = static_cast<uint64_t>(ExitReason::kExited);
constexpr uint64_t kGeneralProtection = 13;
// Port 0x80 (POST code) takes writes without effect: safe to use.
constexpr uint16_t kPostPort = 0x80;

const Rights kHardwareRights = Rights::kRead | Rights::kWrite | Rights::kClone | Rights::kTransfer;

CONFORMANCE_CASE(hardware_root_authorities) {
  auto irq = rt::CapIdentify(kIrqAuthority);
  EXPECT_TRUE(irq.ok() && irq.value().type == uapi::ObjectType::kIrqLine &&
              irq.value().rights == kHardwareRights);
  auto ports = rt::CapIdentify(kAllPorts);
  EXPECT_TRUE(ports.ok() && ports.value().type == uapi::ObjectType::kIoPortRange &&
              ports.value().rights == kHardwareRights);
}

CONFORMANCE_CASE(irq_line_bind_ack_unbind) {
  auto notify = rt::MemoryAllocNotify(kMemory);
  EXPECT_OK(notify);
  if (!notify.ok()) return;
  Handle n = notify.value();
  auto line = rt::IrqLineBind(kIrqAuthority, kMemory, kKeyboardIrq, n, 0b10);
  EXPECT_OK(line);
  if (line.ok()) {
    auto info = rt::CapIdentify(line.value());
    EXPECT_TRUE(info.ok() && info.value().type == uapi::ObjectType::kIrqLine);
    EXPECT_OK(rt::IrqLineAck(line.value()));
    // One binding per line at a time.
    EXPECT_STATUS(rt::IrqLineBind(kIrqAuthority, kMemory, kKeyboardIrq, n, 1), Status::kBusy);
    // A bound line is not an authority.
    EXPECT_STATUS(rt::IrqLineBind(line.value(), kMemory, 3, n, 1), Status::kInvalidArgument);
    // Acknowledging needs kWrite.
    auto weak = rt::CapDerive(line.value(), Rights::kRead);
    EXPECT_OK(weak);
    if (weak.ok()) {
      EXPECT_STATUS(rt::IrqLineAck(weak.value()), Status::kMissingRights);
      EXPECT_OK(rt::CapDelete(weak.value()));
    }
    // Deleting the last capability unbinds: the line can be bound again.
    EXPECT_OK(rt::CapDelete(line.value()));
    auto again = rt::IrqLineBind(kIrqAuthority, kMemory, kKeyboardIrq, n, 1);
    EXPECT_OK(again);
    if (again.ok()) EXPECT_OK(rt::CapDelete(again.value()));
  }
  // The authority has no line to acknowledge.
  EXPECT_STATUS(rt::IrqLineAck(kIrqAuthority), Status::kInvalidArgument);
  EXPECT_STATUS(rt::raw::IrqLineAck(0), Status::kInvalidCapability);
  EXPECT_STATUS(rt::raw::IrqLineAck(n), Status::kWrongType);
  // Bind's errors: the line number, the bits, and each capability.
  EXPECT_STATUS(rt::IrqLineBind(kIrqAuthority, kMemory, 100000, n, 1), Status::kInvalidArgument);
  EXPECT_STATUS(rt::IrqLineBind(kIrqAuthority, kMemory, ~uint64_t{0}, n, 1),
                Status::kInvalidArgument);
  EXPECT_STATUS(rt::IrqLineBind(kIrqAuthority, kMemory, kKeyboardIrq, n, 0),
                Status::kInvalidArgument);
  EXPECT_STATUS(rt::raw::IrqLineBind(0, kMemory, kKeyboardIrq, n, 1), Status::kInvalidCapability);
  EXPECT_STATUS(rt::raw::IrqLineBind(kMemory, kMemory, kKeyboardIrq, n, 1), Status::kWrongType);
  EXPECT_STATUS(rt::raw::IrqLineBind(kIrqAuthority, n, kKeyboardIrq, n, 1), Status::kWrongType);
  EXPECT_STATUS(rt::raw::IrqLineBind(kIrqAuthority, kMemory, kKeyboardIrq, kMemory, 1),
                Status::kWrongType);
  EXPECT_STATUS(rt::raw::IrqLineBind(kIrqAuthority, kMemory, kKeyboardIrq, 60000, 1),
                Status::kInvalidCapability);
  auto read_only = rt::CapDerive(kIrqAuthority, Rights::kRead);
  auto no_signal = rt::CapDerive(n, Rights::kRead);
  EXPECT_OK(read_only);
  EXPECT_OK(no_signal);
  if (read_only.ok()) {
    EXPECT_STATUS(rt::IrqLineBind(read_only.value(), kMemory, kKeyboardIrq, n, 1),
                  Status::kMissingRights);
    EXPECT_OK(rt::CapDelete(read_only.value()));
  }
  if (no_signal.ok()) {
    EXPECT_STATUS(rt::IrqLineBind(kIrqAuthority, kMemory, kKeyboardIrq, no_signal.value(), 1),
                  Status::kMissingRights);
    EXPECT_OK(rt::CapDelete(no_signal.value()));
  }
  EXPECT_OK(rt::CapDelete(n));
}

// GSI 23: an IOAPIC input of q35 no device of the conformance machine uses.
constexpr uint64_t kSpareGsi = 23;

CONFORMANCE_CASE(irq_gsi_bind) {
  auto notify = rt::MemoryAllocNotify(kMemory);
  EXPECT_OK(notify);
  if (!notify.ok()) return;
  Handle n = notify.value();
  auto line = rt::IrqGsiBind(kIrqAuthority, kMemory, kSpareGsi, 0, n, 0b100);
  EXPECT_OK(line);
  if (line.ok()) {
    auto info = rt::CapIdentify(line.value());
    EXPECT_TRUE(info.ok() && info.value().type == uapi::ObjectType::kIrqLine &&
                info.value().rights == kHardwareRights);
    EXPECT_OK(rt::IrqLineAck(line.value()));
    // One binding per GSI, whichever call made it.
    EXPECT_STATUS(rt::IrqGsiBind(kIrqAuthority, kMemory, kSpareGsi, uapi::kIrqGsiActiveLow, n, 1),
                  Status::kBusy);
    EXPECT_STATUS(rt::IrqLineBind(kIrqAuthority, kMemory, kSpareGsi, n, 1), Status::kBusy);
    EXPECT_STATUS(rt::IrqGsiBind(line.value(), kMemory, 22, 0, n, 1), Status::kInvalidArgument);
    EXPECT_OK(rt::CapDelete(line.value()));
    auto again = rt::IrqGsiBind(kIrqAuthority, kMemory, kSpareGsi, uapi::kIrqGsiActiveLow, n, 1);
    EXPECT_OK(again);
    if (again.ok()) EXPECT_OK(rt::CapDelete(again.value()));
  }
  // ISA lines (below 16) are IrqLineBind's; no input past the IOAPIC's; unknown flags; no bits.
  EXPECT_STATUS(rt::IrqGsiBind(kIrqAuthority, kMemory, kKeyboardIrq, 0, n, 1),
                Status::kInvalidArgument);
  EXPECT_STATUS(rt::IrqGsiBind(kIrqAuthority, kMemory, 15, 0, n, 1), Status::kInvalidArgument);
  EXPECT_STATUS(rt::IrqGsiBind(kIrqAuthority, kMemory, 100000, 0, n, 1), Status::kInvalidArgument);
  EXPECT_STATUS(rt::IrqGsiBind(kIrqAuthority, kMemory, ~uint64_t{0}, 0, n, 1),
                Status::kInvalidArgument);
  EXPECT_STATUS(rt::IrqGsiBind(kIrqAuthority, kMemory, kSpareGsi, 2, n, 1),
                Status::kInvalidArgument);
  EXPECT_STATUS(rt::IrqGsiBind(kIrqAuthority, kMemory, kSpareGsi, 0, n, 0),
                Status::kInvalidArgument);
  EXPECT_STATUS(rt::raw::IrqGsiBind(0, kMemory, kSpareGsi, 0, n, 1), Status::kInvalidCapability);
  EXPECT_STATUS(rt::raw::IrqGsiBind(kMemory, kMemory, kSpareGsi, 0, n, 1), Status::kWrongType);
  EXPECT_STATUS(rt::raw::IrqGsiBind(kIrqAuthority, n, kSpareGsi, 0, n, 1), Status::kWrongType);
  EXPECT_STATUS(rt::raw::IrqGsiBind(kIrqAuthority, kMemory, kSpareGsi, 0, kMemory, 1),
                Status::kWrongType);
  auto read_only = rt::CapDerive(kIrqAuthority, Rights::kRead);
  EXPECT_OK(read_only);
  if (read_only.ok()) {
    EXPECT_STATUS(rt::IrqGsiBind(read_only.value(), kMemory, kSpareGsi, 0, n, 1),
                  Status::kMissingRights);
    EXPECT_OK(rt::CapDelete(read_only.value()));
  }
  EXPECT_OK(rt::CapDelete(n));
}

CONFORMANCE_CASE(io_port_range_split) {
  auto part = rt::IoPortRangeSplit(kAllPorts, kMemory, 0x60, 5);
  EXPECT_OK(part);
  if (!part.ok()) return;
  auto info = rt::CapIdentify(part.value());
  EXPECT_TRUE(info.ok() && info.value().type == uapi::ObjectType::kIoPortRange &&
              info.value().rights == kHardwareRights);
  // Sub-ranges of a sub-range, up to its edges and no further.
  auto inner = rt::IoPortRangeSplit(part.value(), kMemory, 0x64, 1);
  EXPECT_OK(inner);
  if (inner.ok()) EXPECT_OK(rt::CapDelete(inner.value()));
  auto whole = rt::IoPortRangeSplit(part.value(), kMemory, 0x60, 5);
  EXPECT_OK(whole);
  if (whole.ok()) EXPECT_OK(rt::CapDelete(whole.value()));
  EXPECT_STATUS(rt::IoPortRangeSplit(part.value(), kMemory, 0x5f, 1), Status::kInvalidArgument);
  EXPECT_STATUS(rt::IoPortRangeSplit(part.value(), kMemory, 0x64, 2), Status::kInvalidArgument);
  EXPECT_STATUS(rt::IoPortRangeSplit(part.value(), kMemory, 0x60, 0), Status::kInvalidArgument);
  EXPECT_STATUS(rt::IoPortRangeSplit(part.value(), kMemory, 0x61, ~uint64_t{0}),
                Status::kInvalidArgument);
  EXPECT_STATUS(rt::IoPortRangeSplit(kAllPorts, kMemory, 0xffff, 2), Status::kInvalidArgument);
  EXPECT_STATUS(rt::IoPortRangeSplit(kAllPorts, kMemory, ~uint64_t{0}, 1),
                Status::kInvalidArgument);
  auto last = rt::IoPortRangeSplit(kAllPorts, kMemory, 0xffff, 1);
  EXPECT_OK(last);
  if (last.ok()) EXPECT_OK(rt::CapDelete(last.value()));
  // Capabilities: splitting needs kClone; the new range has the source's rights.
  auto narrow = rt::CapDerive(part.value(), Rights::kRead | Rights::kClone);
  EXPECT_OK(narrow);
  if (narrow.ok()) {
    auto derived = rt::IoPortRangeSplit(narrow.value(), kMemory, 0x60, 1);
    EXPECT_OK(derived);
    if (derived.ok()) {
      auto derived_info = rt::CapIdentify(derived.value());
      EXPECT_TRUE(derived_info.ok() &&
                  derived_info.value().rights == (Rights::kRead | Rights::kClone));
      EXPECT_OK(rt::CapDelete(derived.value()));
    }
    EXPECT_OK(rt::CapDelete(narrow.value()));
  }
  auto no_clone = rt::CapDerive(part.value(), Rights::kRead | Rights::kWrite);
  EXPECT_OK(no_clone);
  if (no_clone.ok()) {
    EXPECT_STATUS(rt::IoPortRangeSplit(no_clone.value(), kMemory, 0x60, 1), Status::kMissingRights);
    EXPECT_OK(rt::CapDelete(no_clone.value()));
  }
  EXPECT_STATUS(rt::raw::IoPortRangeSplit(0, kMemory, 0x60, 1), Status::kInvalidCapability);
  EXPECT_STATUS(rt::raw::IoPortRangeSplit(kMemory, kMemory, 0x60, 1), Status::kWrongType);
  EXPECT_STATUS(rt::raw::IoPortRangeSplit(part.value(), kAllPorts, 0x60, 1), Status::kWrongType);
  EXPECT_OK(rt::CapDelete(part.value()));
}

// Children that use ports: handles come from these globals (we share the address space).
struct PortChild {
  Handle range = 0;
  Handle memory = 0;
  uint16_t port = 0;  // the port to write
};
PortChild g_port_child;

void OutByte(uint16_t port, uint8_t value) {
  asm volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

// Enables its range (if given), writes the port, exits with 0.
void WritePort(uint64_t) {
  if (g_port_child.range != 0) {
    auto enabled = rt::IoPortRangeEnable(g_port_child.range, g_port_child.memory);
    if (!enabled.ok()) rt::ThreadExit(0xdead0000 + static_cast<uint64_t>(enabled.error()));
  }
  OutByte(g_port_child.port, 0x42);
  rt::ThreadExit(0);
}

// Runs WritePort in a child given `range` (0: none) and returns how it ended.
uapi::ThreadExit RunPortChild(Handle range, uint16_t port) {
  auto child = SpawnShared(WritePort, 0, /*start=*/false);
  EXPECT_OK(child);
  if (!child.ok()) return {};
  Child c = child.value();
  g_port_child = {0, 0, port};
  if (range != 0) {
    auto given_range = rt::ProcessGiveCap(c.process, range, Rights::kRead | Rights::kWrite);
    auto given_memory = rt::ProcessGiveCap(c.process, kMemory, Rights::kWrite);
    EXPECT_OK(given_range);
    EXPECT_OK(given_memory);
    g_port_child.range = given_range.ok() ? given_range.value() : 0;
    g_port_child.memory = given_memory.ok() ? given_memory.value() : 0;
  }
  EXPECT_OK(rt::ThreadStart(c.thread));
  uapi::ThreadExit exit = Wait(c);
  Release(c);
  return exit;
}

CONFORMANCE_CASE(io_port_enable_grants_only_its_ports) {
  auto post = rt::IoPortRangeSplit(kAllPorts, kMemory, kPostPort, 1);
  EXPECT_OK(post);
  if (!post.ok()) return;
  // Without a grant, port I/O in user mode is a #GP and kills the thread.
  uapi::ThreadExit exit = RunPortChild(0, kPostPort);
  EXPECT_EQ(static_cast<uint64_t>(exit.reason), kFaulted);
  EXPECT_EQ(exit.code, kGeneralProtection);
  // With the grant, the port works ...
  exit = RunPortChild(post.value(), kPostPort);
  EXPECT_EQ(static_cast<uint64_t>(exit.reason), kExited);
  EXPECT_EQ(exit.code, 0u);
  // ... and only that port.
  exit = RunPortChild(post.value(), kPostPort + 1);
  EXPECT_EQ(static_cast<uint64_t>(exit.reason), kFaulted);
  EXPECT_EQ(exit.code, kGeneralProtection);
  // The grant was the child's: a new child without one faults again (on any CPU).
  exit = RunPortChild(0, kPostPort);
  EXPECT_EQ(static_cast<uint64_t>(exit.reason), kFaulted);
  // Errors: rights on the range (kRead and kWrite) and on the memory (kWrite), types.
  auto read_only = rt::CapDerive(post.value(), Rights::kRead);
  EXPECT_OK(read_only);
  if (read_only.ok()) {
    EXPECT_STATUS(rt::IoPortRangeEnable(read_only.value(), kMemory), Status::kMissingRights);
    EXPECT_OK(rt::CapDelete(read_only.value()));
  }
  auto weak_memory = rt::CapDerive(kMemory, Rights::kRead);
  EXPECT_OK(weak_memory);
  if (weak_memory.ok()) {
    EXPECT_STATUS(rt::IoPortRangeEnable(post.value(), weak_memory.value()), Status::kMissingRights);
    EXPECT_OK(rt::CapDelete(weak_memory.value()));
  }
  EXPECT_STATUS(rt::raw::IoPortRangeEnable(0, kMemory), Status::kInvalidCapability);
  EXPECT_STATUS(rt::raw::IoPortRangeEnable(kMemory, kMemory), Status::kWrongType);
  EXPECT_STATUS(rt::raw::IoPortRangeEnable(post.value(), kAllPorts), Status::kWrongType);
  EXPECT_OK(rt::CapDelete(post.value()));
}

}  // namespace
}  // namespace hiillos::conformance
