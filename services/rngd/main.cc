// services/rngd/main.cc — /sbin/rngd: random bytes over IPC (services/rngd/protocol.h,
// docs/protocols/rng.md). Seeds a ChaCha20 generator (lib/csprng) from RDSEED/RDRAND and TSC
// jitter (entropy.h) at start, refuses reads until seeded, reseeds by the generator's policy.
//
// Capabilities (by name): "endpoint" (the Receiver clients call), "memory" (for its Reply
// object), "log" (optional).
#include "services/lib/heap_glue.h"
#include "services/lib/print.h"
#include "services/lib/program.h"
#include "services/lib/syscalls.h"
#include "services/lib/tsc.h"
#include "services/proc/ready.h"
#include "services/rngd/entropy.h"
#include "services/rngd/protocol.h"
#include "services/rngd/service.h"

namespace {

using namespace hiillos;

void Cpuid(uint32_t leaf, uint32_t subleaf, uint32_t* a, uint32_t* b, uint32_t* c, uint32_t* d) {
  asm volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(subleaf));
}

class CpuSource final : public rngd::EntropySource {
 public:
  CpuSource() {
    uint32_t a, b, c, d;
    Cpuid(0, 0, &a, &b, &c, &d);
    const uint32_t max_leaf = a;
    Cpuid(1, 0, &a, &b, &c, &d);
    rdrand_ = (c >> 30) & 1;
    if (max_leaf >= 7) {
      Cpuid(7, 0, &a, &b, &c, &d);
      rdseed_ = (b >> 18) & 1;
    }
  }
  bool HasRdseed() override { return rdseed_; }
  bool HasRdrand() override { return rdrand_; }
  bool Rdseed(uint64_t* value) override {
    uint8_t ok;
    asm volatile("rdseed %0; setc %1" : "=r"(*value), "=qm"(ok) : : "cc");
    return ok != 0;
  }
  bool Rdrand(uint64_t* value) override {
    uint8_t ok;
    asm volatile("rdrand %0; setc %1" : "=r"(*value), "=qm"(ok) : : "cc");
    return ok != 0;
  }
  uint64_t ReadTsc() override { return rt::ReadTsc(); }
  void Pause() override { asm volatile("pause"); }

 private:
  bool rdrand_ = false;
  bool rdseed_ = false;
};

}  // namespace

int ProgramMain(const startinfo::StartInfo& start) {
  const uint32_t memory = rt::FindCap(start, "memory");
  const uint32_t endpoint = rt::FindCap(start, "endpoint");
  if (memory == 0 || endpoint == 0) {
    rt::Printf("rngd: needs memory and endpoint capabilities");
    return 1;
  }
  auto slot = rt::MemoryAllocReply(memory);
  if (!slot.ok()) {
    rt::Printf("rngd: cannot allocate a reply object: %s", uapi::StatusName(slot.error()));
    return 1;
  }
  static CpuSource source;
  // On the heap: a static would register a destructor (the program never ends that way).
  auto* service_storage = new rngd::RngService(source, csprng::ReseedPolicy{});
  rngd::RngService& service = *service_storage;
  const rngd::Gathered got = service.Seed();
  rt::Printf("rngd: sources:%s%s jitter; gathered %u bits (rdseed %u, rdrand %u, jitter %u)%s",
             source.HasRdseed() ? " rdseed" : "", source.HasRdrand() ? " rdrand" : "", got.total(),
             got.rdseed_bits, got.rdrand_bits, got.jitter_bits,
             got.rdrand_broken ? "; RDRAND failed 10 times in a row" : "");
  rt::Printf(service.seeded() ? "rngd: ready: seeded"
                              : "rngd: ready: NOT seeded (reads are refused until it is)");
  (void)proc::SignalReady(rt::FindCap(start, "proc"));  // seeded (or saying why not): it serves
  // One Reply slot: every request is answered at once.
  bool have_request = false;
  uapi::IpcMessage request;
  for (;;) {
    if (!have_request) {
      auto received = rt::Recv(endpoint, slot.value(), uapi::IpcMessage{});
      if (!received.ok()) {
        rt::Printf("rngd: receive failed: %s", uapi::StatusName(received.error()));
        return 1;
      }
      request = received.value();
    }
    uapi::IpcMessage reply;
    service.Handle(request.words, reply.words);
    if ((request.info & uapi::IpcInfo::kReplyExpected) == 0) {
      have_request = false;  // a Send: nobody to answer
      continue;
    }
    auto next = rt::ReplyRecv(endpoint, slot.value(), reply);
    for (uint64_t& word : reply.words) word = 0;  // no random bytes left behind
    // Dead: the caller died before the reply, nothing was received: receive anew.
    have_request = next.ok();
    if (have_request) request = next.value();
  }
}
