// kernel/object/destroy_context.cc — CurrentDestroyStack for the kernel: the running thread's
// destroy work list, or the CPU's own for its idle/boot context (which is never preempted);
// and the preemption point between two queued destructions.
#include "kernel/arch/cpu_local.h"
#include "kernel/object/kernel_object.h"
#include "kernel/sched/scheduler.h"
#include "kernel/sched/thread.h"

namespace hiillos::object {
namespace {

WorkStack g_cpu_stacks[arch::CpuLocal::kMaxCpus];

}  // namespace

WorkStack* CurrentDestroyStack() {
  uint32_t cpu = arch::CpuIndexIfReady();
  if (cpu == arch::kNoCpu || cpu >= arch::CpuLocal::kMaxCpus) return nullptr;  // early boot
  sched::Thread* thread = sched::CurrentThread();
  if (thread != nullptr) return &thread->destroy_work();
  return &g_cpu_stacks[cpu];
}

void BetweenDestructions() {
  sched::PreemptionPoint();
}

}  // namespace hiillos::object
