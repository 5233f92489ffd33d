// testing/kbd/kbd_driver.cc — a user-space PS/2 keyboard driver as the root process of its own
// image (//testing:kbd_test): it takes the i8042's ports (0x60, 0x64) from the root's port
// authority and IRQ 1 from its IRQ authority, bound to a Notify, and reads each scancode only
// after the interrupt woke it. The test script presses 'a' through the QEMU monitor once the
// driver prints "kbd: ready"; the driver exits 0 after the make and break codes of 'a' in
// scancode set 1 (0x1e, 0x9e: the i8042 translates the keyboard's set 2), 1 on anything else.
#include "services/lib/port_io.h"
#include "services/lib/print.h"
#include "services/lib/start.h"
#include "services/lib/syscalls.h"
#include "uapi/initial_caps.h"

namespace {

using namespace hiillos;

constexpr uint16_t kDataPort = 0x60;
constexpr uint16_t kStatusPort = 0x64;  // read: status; write: controller command
constexpr uint8_t kStatusOutputFull = 1 << 0;
constexpr uint8_t kStatusInputFull = 1 << 1;
constexpr uint8_t kCommandReadConfig = 0x20;
constexpr uint8_t kCommandWriteConfig = 0x60;
constexpr uint8_t kConfigKeyboardInterrupt = 1 << 0;
constexpr uint8_t kConfigKeyboardClockOff = 1 << 4;
constexpr uint8_t kConfigTranslate = 1 << 6;
constexpr uint64_t kKeyboardIrq = 1;
constexpr uint64_t kKeyboardBit = 1;
constexpr uint8_t kMakeA = 0x1e;
constexpr uint8_t kBreakA = 0x9e;
// Polls of the status register before giving up on the controller (it answers in a few).
constexpr int kControllerPolls = 1000000;

bool WaitInputEmpty() {
  for (int i = 0; i < kControllerPolls; ++i) {
    if ((rt::InByte(kStatusPort) & kStatusInputFull) == 0) return true;
  }
  return false;
}

bool WaitOutputFull() {
  for (int i = 0; i < kControllerPolls; ++i) {
    if ((rt::InByte(kStatusPort) & kStatusOutputFull) != 0) return true;
  }
  return false;
}

// Enables the keyboard interrupt, the keyboard clock and set-1 translation in the controller's
// configuration byte (firmware may have left the interrupt off: it polls).
bool ConfigureController() {
  while ((rt::InByte(kStatusPort) & kStatusOutputFull) != 0) (void)rt::InByte(kDataPort);
  if (!WaitInputEmpty()) return false;
  rt::OutByte(kStatusPort, kCommandReadConfig);
  if (!WaitOutputFull()) return false;
  uint8_t config = rt::InByte(kDataPort);
  config = static_cast<uint8_t>((config | kConfigKeyboardInterrupt | kConfigTranslate) &
                                ~kConfigKeyboardClockOff);
  if (!WaitInputEmpty()) return false;
  rt::OutByte(kStatusPort, kCommandWriteConfig);
  if (!WaitInputEmpty()) return false;
  rt::OutByte(kDataPort, config);
  rt::Printf("kbd: controller configuration %#x", config);
  return true;
}

// A port range of one port, enabled for this thread.
bool EnablePort(uint16_t port) {
  auto range = rt::IoPortRangeSplit(uapi::kRootIoPortHandle, uapi::kRootMemoryHandle, port, 1);
  if (!range.ok()) {
    rt::Printf("kbd: IoPortRangeSplit(%#x): %s", port, uapi::StatusName(range.error()));
    return false;
  }
  auto enabled = rt::IoPortRangeEnable(range.value(), uapi::kRootMemoryHandle);
  if (!enabled.ok()) {
    rt::Printf("kbd: IoPortRangeEnable(%#x): %s", port, uapi::StatusName(enabled.error()));
    return false;
  }
  return true;
}

int Run() {
  if (!EnablePort(kDataPort) || !EnablePort(kStatusPort)) return 1;
  auto notify = rt::MemoryAllocNotify(uapi::kRootMemoryHandle);
  if (!notify.ok()) return 1;
  // Bind before touching the controller, so that no interrupt it raises is missed.
  auto line = rt::IrqLineBind(uapi::kRootIrqHandle, uapi::kRootMemoryHandle, kKeyboardIrq,
                              notify.value(), kKeyboardBit);
  if (!line.ok()) {
    rt::Printf("kbd: IrqLineBind(IRQ 1): %s", uapi::StatusName(line.error()));
    return 1;
  }
  if (!ConfigureController()) {
    rt::Printf("kbd: the i8042 does not answer");
    return 1;
  }
  // Whatever arrived while configuring is not a key press of the test.
  while ((rt::InByte(kStatusPort) & kStatusOutputFull) != 0) (void)rt::InByte(kDataPort);
  (void)rt::NotifyPoll(notify.value());
  (void)rt::IrqLineAck(line.value());
  rt::Printf("kbd: ready");
  const uint8_t expected[] = {kMakeA, kBreakA};
  size_t matched = 0;
  while (matched < sizeof(expected)) {
    auto bits = rt::NotifyWait(notify.value());
    if (!bits.ok()) return 1;
    if ((bits.value() & kKeyboardBit) == 0) continue;
    int codes = 0;
    while ((rt::InByte(kStatusPort) & kStatusOutputFull) != 0 && matched < sizeof(expected)) {
      uint8_t code = rt::InByte(kDataPort);
      ++codes;
      rt::Printf("kbd: interrupt, scancode %#04x", code);
      if (code != expected[matched]) {
        rt::Printf("kbd: expected scancode %#04x", expected[matched]);
        return 1;
      }
      ++matched;
    }
    if (codes == 0) rt::Printf("kbd: interrupt without a scancode");
    if (!rt::IrqLineAck(line.value()).ok()) return 1;
  }
  rt::Printf("kbd: key 'a' pressed and released: make %#04x, break %#04x", kMakeA, kBreakA);
  return 0;
}

}  // namespace

int UserMain(uint64_t, uint64_t) {
  hiillos::rt::SetLogHandle(hiillos::uapi::kRootLogHandle);
  return Run();
}
