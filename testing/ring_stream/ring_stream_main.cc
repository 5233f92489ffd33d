// testing/ring_stream/ring_stream_main.cc — 64 MiB through a shared-memory ring between two
// processes on two CPUs (//testing:ring_stream_test). This program is the root process and the
// producer; it builds a consumer process with an address space of its own (a copy of this
// program's pages, its own stack), maps one frame into both address spaces (at different
// addresses, through a cloned capability), and gives the consumer the two Notify capabilities
// of the wake-up protocol. Producer and consumer are pinned to different CPUs. Both sides
// derive the same word sequence; the consumer checks every word and exits with the checksum
// of what it received, which the producer compares with its own.
#include "lib/ring/region.h"
#include "services/lib/print.h"
#include "services/lib/ring_notify.h"
#include "services/lib/ring_stream.h"
#include "services/lib/start.h"
#include "services/lib/syscalls.h"
#include "uapi/initial_caps.h"
#include "uapi/rights.h"

// Linker-defined (services/lib/user.ld): the end of .text (page-aligned: read-only data starts
// there) and of .bss, and the program's first byte (_start is first in .text).
extern "C" char __hiillos_text_end[];
extern "C" char __hiillos_image_end[];
extern "C" char _start[];

namespace {

using namespace hiillos;
using uapi::Rights;

constexpr uint64_t kStreamBytes = 64ull << 20;
constexpr uint64_t kWords = kStreamBytes / 8;
constexpr unsigned kRingFrameOrder = 4;  // 64 KiB
constexpr uint32_t kSlotCount = 4096;    // 8-byte slots: 32 KiB of data
constexpr size_t kBatchWords = 1024;
// The ring frame in each address space (different on purpose), the consumer's stack, and
// where the producer maps pages it is filling for the consumer.
constexpr uint64_t kProducerRing = 0x0000'1000'0000'0000ull;
constexpr uint64_t kConsumerRing = 0x0000'1100'0000'0000ull;
constexpr uint64_t kConsumerStackTop = 0x0000'7000'0000'0000ull;
constexpr uint64_t kStackPages = 16;
constexpr uint64_t kScratch = 0x0000'1200'0000'0000ull;
constexpr uint64_t kPage = 4096;
constexpr uint64_t kRingRegionBytes = kPage << kRingFrameOrder;
constexpr uint64_t kMismatch = ~uint64_t{0};

uint64_t WordAt(uint64_t index) {
  uint64_t x = (index + 1) * 0x9e37'79b9'7f4a'7c15ull;
  x ^= x >> 31;
  return x * 0xbf58'476d'1ce4'e5b9ull;
}

uint64_t Mix(uint64_t sum, uint64_t word) {
  return (sum ^ word) * 0x0000'0100'0000'01b3ull;
}

constexpr uint64_t kChecksumSeed = 0xcbf2'9ce4'8422'2325ull;

// --- consumer (runs in the child process) ----------------------------------------------------

[[noreturn]] void ConsumerMain(uint64_t own_notify, uint64_t peer_notify) {
  rt::RingNotifies notifies{static_cast<rt::Handle>(peer_notify),
                            static_cast<rt::Handle>(own_notify)};
  auto reader = rt::RingReader::Attach(reinterpret_cast<void*>(kConsumerRing), kRingRegionBytes, 8,
                                       rt::NotifyWakeOps(&notifies));
  if (!reader.ok()) rt::ThreadExit(kMismatch);
  static uint64_t buffer[kBatchWords];
  uint64_t received = 0;
  uint64_t sum = kChecksumSeed;
  while (received < kWords) {
    auto got = reader.value().ReadSome(buffer, kBatchWords);
    if (!got.ok()) rt::ThreadExit(kMismatch);
    for (size_t i = 0; i < got.value(); ++i) {
      if (buffer[i] != WordAt(received + i)) {
        rt::Printf("ring: consumer: word %lu is %#lx, expected %#lx", received + i, buffer[i],
                   WordAt(received + i));
        rt::ThreadExit(kMismatch);
      }
      sum = Mix(sum, buffer[i]);
    }
    received += got.value();
  }
  rt::Printf("ring: consumer: %lu MiB received, slept %lu times, woke the producer %lu times",
             received * 8 >> 20, notifies.waits, notifies.signals);
  rt::ThreadExit(sum);
}

// --- producer (this process) ----------------------------------------------------------------

constexpr rt::Handle kMemory = uapi::kRootMemoryHandle;
constexpr rt::Handle kVmem = uapi::kRootVmemHandle;

uint64_t PageDown(uint64_t address) {
  return address & ~(kPage - 1);
}
uint64_t PageUp(uint64_t address) {
  return (address + kPage - 1) & ~(kPage - 1);
}

// Maps a fresh frame at `address` in `vmem` holding a copy of our page at `source` (or zeros).
bool MapCopy(rt::Handle vmem, uint64_t address, const void* source, uint64_t flags) {
  auto frame = rt::MemoryAllocFrame(kMemory, 0);
  if (!frame.ok()) return false;
  if (source != nullptr) {
    if (!rt::VmemMap(kVmem, frame.value(), kScratch, uapi::kMapRead | uapi::kMapWrite, kMemory)
             .ok()) {
      return false;
    }
    __builtin_memcpy(reinterpret_cast<void*>(kScratch), source, kPage);
    if (!rt::VmemUnmap(kVmem, kScratch).ok()) return false;
  }
  return rt::VmemMap(vmem, frame.value(), address, flags, kMemory).ok();
}

struct Consumer {
  rt::Handle process = 0;
  rt::Handle thread = 0;
};

// A process with its own address space: this program's pages (copied: text read+execute, the
// rest read+write), a stack, and `ring` mapped at kConsumerRing.
Result<Consumer, uapi::Status> BuildConsumer(rt::Handle ring, rt::Handle own, rt::Handle peer) {
  auto vmem = TRY(rt::MemoryAllocVmem(kMemory));
  const uint64_t image_start = reinterpret_cast<uint64_t>(_start);
  const uint64_t text_end = PageUp(reinterpret_cast<uint64_t>(__hiillos_text_end));
  const uint64_t image_end = PageUp(reinterpret_cast<uint64_t>(__hiillos_image_end));
  for (uint64_t page = PageDown(image_start); page < image_end; page += kPage) {
    uint64_t flags =
        page < text_end ? uapi::kMapRead | uapi::kMapExecute : uapi::kMapRead | uapi::kMapWrite;
    if (!MapCopy(vmem, page, reinterpret_cast<const void*>(page), flags)) {
      return Err(uapi::Status::kOutOfMemory);
    }
  }
  for (uint64_t i = 1; i <= kStackPages; ++i) {
    if (!MapCopy(vmem, kConsumerStackTop - i * kPage, nullptr, uapi::kMapRead | uapi::kMapWrite)) {
      return Err(uapi::Status::kOutOfMemory);
    }
  }
  TRY(rt::VmemMap(vmem, ring, kConsumerRing, uapi::kMapRead | uapi::kMapWrite, kMemory));
  Consumer consumer;
  consumer.process = TRY(rt::MemoryAllocProcess(kMemory, vmem));
  auto own_there = TRY(rt::ProcessGiveCap(consumer.process, own, Rights::kRead));
  auto peer_there = TRY(rt::ProcessGiveCap(consumer.process, peer, Rights::kWrite));
  consumer.thread = TRY(rt::MemoryAllocThread(kMemory, consumer.process));
  uapi::ThreadRegs regs{};
  regs.rip = reinterpret_cast<uint64_t>(&ConsumerMain);
  regs.rsp = kConsumerStackTop - 8;  // as after a call: rsp + 8 is 16-byte aligned
  regs.rdi = own_there;
  regs.rsi = peer_there;
  regs.rflags = 0x202;
  TRY(rt::ThreadSetRegs(consumer.thread, &regs));
  return consumer;
}

int Run() {
  auto system = rt::SystemInfo();
  if (!system.ok()) return 1;
  const bool two_cpus = system.value().cpus_online > 1;
  // The ring: one frame, mapped here and (through a clone of its capability) in the consumer.
  auto ring = rt::MemoryAllocFrame(kMemory, kRingFrameOrder);
  if (!ring.ok()) return 1;
  if (!rt::VmemMap(kVmem, ring.value(), kProducerRing, uapi::kMapRead | uapi::kMapWrite, kMemory)
           .ok()) {
    return 1;
  }
  auto* region = reinterpret_cast<void*>(kProducerRing);
  if (!ring::InitializeRing(region, kRingRegionBytes, 8, kSlotCount).ok()) return 1;
  auto ring_clone = rt::CapDerive(ring.value(), Rights::kAll);
  auto producer_notify = rt::MemoryAllocNotify(kMemory);
  auto consumer_notify = rt::MemoryAllocNotify(kMemory);
  if (!ring_clone.ok() || !producer_notify.ok() || !consumer_notify.ok()) return 1;
  auto consumer =
      BuildConsumer(ring_clone.value(), consumer_notify.value(), producer_notify.value());
  if (!consumer.ok()) {
    rt::Printf("ring: cannot build the consumer: %s", uapi::StatusName(consumer.error()));
    return 1;
  }
  if (two_cpus) {
    if (!rt::ThreadSetAffinity(uapi::kRootThreadHandle, 1u << 0).ok() ||
        !rt::ThreadSetAffinity(consumer.value().thread, 1u << 1).ok()) {
      return 1;
    }
  }
  rt::RingNotifies notifies{consumer_notify.value(), producer_notify.value()};
  auto writer = rt::RingWriter::Attach(region, kRingRegionBytes, 8, rt::NotifyWakeOps(&notifies));
  if (!writer.ok()) return 1;
  if (!rt::ThreadStart(consumer.value().thread).ok()) return 1;
  rt::Printf("ring: streaming %lu MiB from cpu0 to %s", kStreamBytes >> 20,
             two_cpus ? "cpu1" : "cpu0 (one CPU online)");

  static uint64_t batch[kBatchWords];
  uint64_t sum = kChecksumSeed;
  for (uint64_t sent = 0; sent < kWords; sent += kBatchWords) {
    for (size_t i = 0; i < kBatchWords; ++i) {
      batch[i] = WordAt(sent + i);
      sum = Mix(sum, batch[i]);
    }
    if (!writer.value().WriteAll(batch, kBatchWords).ok()) {
      rt::Printf("ring: producer: write failed");
      return 1;
    }
  }
  rt::Printf("ring: producer: %lu MiB sent, slept %lu times, woke the consumer %lu times",
             kStreamBytes >> 20, notifies.waits, notifies.signals);
  auto exit = rt::ThreadWait(consumer.value().thread);
  if (!exit.ok()) return 1;
  bool passed = exit.value().reason == uapi::ExitReason::kExited && exit.value().code == sum;
  rt::Printf("ring: consumer exited (reason %lu) with checksum %#lx; producer checksum %#lx: %s",
             static_cast<uint64_t>(exit.value().reason), exit.value().code, sum,
             passed ? "match" : "MISMATCH");
  return passed ? 0 : 1;
}

}  // namespace

int UserMain(uint64_t, uint64_t) {
  hiillos::rt::SetLogHandle(hiillos::uapi::kRootLogHandle);
  return Run();
}
