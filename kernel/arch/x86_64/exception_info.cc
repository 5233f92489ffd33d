// kernel/arch/x86_64/exception_info.cc — exception names and error-code descriptions.
#include "kernel/arch/x86_64/exception_info.h"

#include "lib/format/format.h"

namespace hiillos::arch {
namespace {

struct VectorInfo {
  const char* mnemonic;
  const char* name;
  bool error_code;
};

// SDM Vol.3A Table 6-1 (plus #VE, #CP, #HV, #VC and #SX from later editions / the AMD APM).
constexpr VectorInfo kVectors[kExceptionCount] = {
    {"#DE", "divide error", false},
    {"#DB", "debug", false},
    {"NMI", "non-maskable interrupt", false},
    {"#BP", "breakpoint", false},
    {"#OF", "overflow", false},
    {"#BR", "bound range exceeded", false},
    {"#UD", "invalid opcode", false},
    {"#NM", "device not available", false},
    {"#DF", "double fault", true},
    {"#CSO", "coprocessor segment overrun", false},
    {"#TS", "invalid TSS", true},
    {"#NP", "segment not present", true},
    {"#SS", "stack-segment fault", true},
    {"#GP", "general protection", true},
    {"#PF", "page fault", true},
    {"#??", "reserved", false},
    {"#MF", "x87 floating-point error", false},
    {"#AC", "alignment check", true},
    {"#MC", "machine check", false},
    {"#XM", "SIMD floating-point exception", false},
    {"#VE", "virtualization exception", false},
    {"#CP", "control protection", true},
    {"#??", "reserved", false},
    {"#??", "reserved", false},
    {"#??", "reserved", false},
    {"#??", "reserved", false},
    {"#??", "reserved", false},
    {"#??", "reserved", false},
    {"#HV", "hypervisor injection", false},
    {"#VC", "VMM communication", true},
    {"#SX", "security exception", true},
    {"#??", "reserved", false},
};

class Writer {
 public:
  Writer(char* out, size_t size) : out_(out), size_(size) {
    if (size_ > 0) out_[0] = '\0';
  }
  void Word(const char* word) {
    if (length_ > 0) Append(" ");
    Append(word);
  }
  void Append(const char* text) {
    for (; *text != '\0'; ++text) {
      if (length_ + 1 >= size_) return;
      out_[length_++] = *text;
      out_[length_] = '\0';
    }
  }

 private:
  char* out_;
  size_t size_;
  size_t length_ = 0;
};

}  // namespace

const char* ExceptionMnemonic(uint64_t vector) {
  return vector < kExceptionCount ? kVectors[vector].mnemonic : "#??";
}

const char* ExceptionName(uint64_t vector) {
  return vector < kExceptionCount ? kVectors[vector].name : "interrupt";
}

bool ExceptionHasErrorCode(uint64_t vector) {
  return vector < kExceptionCount && kVectors[vector].error_code;
}

bool ExceptionIsAbortLike(uint64_t vector) {
  return vector == kVectorNmi || vector == kVectorDoubleFault || vector == kVectorMachineCheck;
}

const char* DescribeErrorCode(uint64_t vector, uint64_t error_code, char* out, size_t size) {
  Writer writer(out, size);
  if (vector == kVectorPageFault) {
    writer.Word(error_code & kPfPresent ? "protection" : "not-present");
    writer.Word(error_code & kPfInstructionFetch ? "ifetch"
                : error_code & kPfWrite          ? "write"
                                                 : "read");
    writer.Word(error_code & kPfUser ? "user" : "kernel");
    if (error_code & kPfReservedBit) writer.Word("reserved-bit");
    if (error_code & kPfProtectionKey) writer.Word("protection-key");
    if (error_code & kPfShadowStack) writer.Word("shadow-stack");
    if (error_code & kPfSgx) writer.Word("sgx");
    return out;
  }
  // Selector error codes (#TS, #NP, #SS, #GP; SDM Vol.3A §6.13): EXT, IDT, TI, index.
  bool selector_code = vector == 10 || vector == 11 || vector == 12 || vector == 13;
  if (selector_code && error_code != 0) {
    char text[48];
    bool idt = (error_code & 2) != 0;
    const char* table = idt ? "idt" : (error_code & 4) ? "ldt" : "gdt";
    if (idt) {
      format::FormatToBuffer(text, sizeof(text), "vector %lu idt", (error_code >> 3) & 0x1fff);
    } else {
      format::FormatToBuffer(text, sizeof(text), "selector %#lx %s", error_code & 0xfff8, table);
    }
    writer.Word(text);
    if (error_code & 1) writer.Word("external");
  }
  return out;
}

}  // namespace hiillos::arch
