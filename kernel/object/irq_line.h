// kernel/object/irq_line.h — IrqLine: a hardware interrupt line delivered to user space.
//
// Three kinds, one type:
//   - the authority (root's kRootIrqHandle): names no line; IrqLineBind on it makes bound ones.
//   - a bound line: one hardware input (arch/irq_lines.h: ISA IRQ 0-15 or GSI 16+; or a GSI
//     with the polarity the caller read from ACPI, IrqGsiBind, for PCI INTx) tied to a
//     Notify. Each interrupt masks the input and signals the Notify with the line's bits, in
//     interrupt context (bounded: mask, signal, EOI). The driver handles the device, then
//     acknowledges (Ack), which unmasks the input. An input is bound at most once at a time.
//   - an MSI: a free message-signalled vector (arch/irq_lines.h BindMsi) tied to a Notify; the
//     device raises it by writing the MsiMessage IrqMsiBind returned. MSIs are edges: nothing
//     is masked, so Ack has nothing to do (the Notify's bits stay set until waited for).
//
// Ownership: references (capability slots). A bound line holds a Ref<Notify> and its memory
// charge; destroying it unbinds the input first (after that the interrupt handler never sees
// it again), then drops both. Immutable after creation; the arch layer locks the binding.
#pragma once

#include <stdint.h>

#include "kernel/object/kernel_object.h"
#include "kernel/object/memory.h"
#include "kernel/object/notify.h"
#include "kernel/object/ref.h"
#include "kernel/result/kresult.h"
#include "uapi/object_type.h"
#include "uapi/syscalls.h"

namespace hiillos::object {

class IrqLine : public KernelObject {
 public:
  static constexpr uapi::ObjectType kObjectType = uapi::ObjectType::kIrqLine;

  // The authority over every line (kernel use: the root's capability; not charged).
  // Errors: kOutOfMemory.
  static KResult<Ref<IrqLine>> CreateAuthority();
  // Whether `line` names a hardware input (IrqLineBind's decode check).
  static bool IsValidLine(uint64_t line);
  // Binds `line` (IsValidLine) to `notify`, signalling `bits` (non-zero) on each interrupt;
  // charged to `memory`. The input is unmasked when this returns. Errors: kBusy (the input is
  // bound already), kOutOfMemory.
  static KResult<Ref<IrqLine>> Bind(const Ref<Memory>& memory, uint64_t line, Ref<Notify> notify,
                                    uint64_t bits);
  // Whether `gsi` can be bound by number (IrqGsiBind's decode check): 16 and above, an input.
  static bool IsValidGsi(uint64_t gsi);
  // Binds `gsi` (IsValidGsi) level-triggered with the polarity `flags` says
  // (uapi::kIrqGsiActiveLow) to `notify`, as Bind. Errors: kBusy (the GSI is bound already,
  // also through IrqLineBind), kOutOfMemory.
  static KResult<Ref<IrqLine>> BindGsi(const Ref<Memory>& memory, uint64_t gsi, uint64_t flags,
                                       Ref<Notify> notify, uint64_t bits);
  // Binds a free MSI vector to `notify` (bits non-zero), charged to `memory`; *message says
  // what the device must write. Errors: kBusy (no free vector), kOutOfMemory.
  static KResult<Ref<IrqLine>> BindMsi(const Ref<Memory>& memory, Ref<Notify> notify, uint64_t bits,
                                       uapi::MsiMessage* message);
  static void Destroy(IrqLine* line);

  bool is_authority() const { return authority_; }
  // Unmasks the input of a bound line (no-op for the authority).
  void Ack();

 private:
  IrqLine(bool authority, uint32_t input, Ref<Notify> notify, uint64_t bits, MemoryCharge charge)
      : KernelObject(kObjectType),
        authority_(authority),
        input_(input),
        bits_(bits),
        notify_(Move(notify)),
        charge_(Move(charge)) {}
  ~IrqLine() = default;

  static KResult<Ref<IrqLine>> Allocate(const Ref<Memory>& memory, uint32_t input,
                                        Ref<Notify> notify, uint64_t bits);
  static void OnInterrupt(void* context);

  const bool authority_;
  uint32_t input_;  // arch id of the bound input, or the MSI vector (set before publication)
  const uint64_t bits_;
  bool bound_ = false;  // set once Bind succeeded (Destroy unbinds only then)
  bool msi_ = false;    // set once BindMsi succeeded: input_ is the MSI vector
  Ref<Notify> notify_;
  MemoryCharge charge_;
};

}  // namespace hiillos::object
