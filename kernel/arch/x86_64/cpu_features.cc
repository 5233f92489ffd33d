// kernel/arch/x86_64/cpu_features.cc — CPUID decoding and CR4/EFER/CR0 protection bits.
#include "kernel/arch/x86_64/cpu_features.h"

#include "lib/x86/control_registers.h"
#include "lib/x86/cpu.h"
#include "lib/x86/msr.h"

namespace hiillos::arch {
namespace internal {
bool g_smap_enabled;
}  // namespace internal

namespace {

CpuFeatures g_features;

constexpr bool Bit(uint32_t value, int bit) {
  return (value >> bit) & 1;
}

class Words {
 public:
  Words(char* out, size_t size) : out_(out), size_(size) {
    if (size_ > 0) out_[0] = '\0';
  }
  void Add(bool condition, const char* word) {
    if (!condition) return;
    if (!first_) Append(" ");
    first_ = false;
    Append(word);
  }
  void Append(const char* text) {
    for (; *text != '\0' && length_ + 1 < size_; ++text) {
      out_[length_++] = *text;
      out_[length_] = '\0';
    }
  }
  void Restart() { first_ = true; }

 private:
  char* out_;
  size_t size_;
  size_t length_ = 0;
  bool first_ = true;
};

}  // namespace

CpuFeatures CpuFeaturesDetect() {
  CpuFeatures f{};
  x86::CpuidResult leaf0 = x86::Cpuid(0);
  if (leaf0.eax >= 1) {
    x86::CpuidResult leaf1 = x86::Cpuid(1);
    f.pge = Bit(leaf1.edx, 13);
    f.pcid = Bit(leaf1.ecx, 17);
    f.x2apic = Bit(leaf1.ecx, 21);
    f.tsc_deadline = Bit(leaf1.ecx, 24);
    f.rdrand = Bit(leaf1.ecx, 30);
  }
  if (leaf0.eax >= 7) {
    x86::CpuidResult leaf7 = x86::Cpuid(7, 0);
    f.fsgsbase = Bit(leaf7.ebx, 0);
    f.smep = Bit(leaf7.ebx, 7);
    f.rdseed = Bit(leaf7.ebx, 18);
    f.smap = Bit(leaf7.ebx, 20);
    f.umip = Bit(leaf7.ecx, 2);
  }
  uint32_t max_extended = x86::Cpuid(0x8000'0000).eax;
  if (max_extended >= 0x8000'0001) {
    x86::CpuidResult ext1 = x86::Cpuid(0x8000'0001);
    f.nx = Bit(ext1.edx, 20);
    f.pages_1g = Bit(ext1.edx, 26);
  }
  if (max_extended >= 0x8000'0007) f.invariant_tsc = Bit(x86::Cpuid(0x8000'0007).edx, 8);
  return f;
}

void CpuFeaturesEnable(const CpuFeatures& f) {
  if (f.nx) x86::WriteMsr(x86::kMsrEfer, x86::ReadMsr(x86::kMsrEfer) | x86::kEferNxe);
  x86::WriteCr0(x86::ReadCr0() | x86::kCr0WriteProtect);
  uint64_t cr4 = x86::ReadCr4();
  if (f.smep) cr4 |= x86::kCr4Smep;
  if (f.smap) cr4 |= x86::kCr4Smap;
  if (f.umip) cr4 |= x86::kCr4Umip;
  if (f.fsgsbase) cr4 |= x86::kCr4FsGsBase;
  // With SMAP on, RFLAGS.AC must be clear outside user-access windows.
  if (f.smap) asm volatile("clac" ::: "memory", "cc");
  x86::WriteCr4(cr4);
}

const CpuFeatures& Features() {
  return g_features;
}

void SetFeatures(const CpuFeatures& features) {
  g_features = features;
  internal::g_smap_enabled = features.smap;
}

void DescribeFeatures(const CpuFeatures& f, char* out, size_t size) {
  Words words(out, size);
  words.Add(f.nx, "nx");
  words.Add(f.smep, "smep");
  words.Add(f.smap, "smap");
  words.Add(f.umip, "umip");
  words.Add(true, "wp");
  words.Add(f.fsgsbase, "fsgsbase");
  bool has_any = f.pge || f.pcid || f.x2apic || f.tsc_deadline || f.rdrand || f.rdseed ||
                 f.pages_1g || f.invariant_tsc;
  if (has_any) {
    words.Append("; has ");
    words.Restart();
    words.Add(f.pge, "pge");
    words.Add(f.pcid, "pcid");
    words.Add(f.x2apic, "x2apic");
    words.Add(f.tsc_deadline, "tsc-deadline");
    words.Add(f.invariant_tsc, "invariant-tsc");
    words.Add(f.rdrand, "rdrand");
    words.Add(f.rdseed, "rdseed");
    words.Add(f.pages_1g, "1g-pages");
  }
  bool lacks_any = !f.nx || !f.smep || !f.smap || !f.umip || !f.fsgsbase || !f.x2apic ||
                   !f.tsc_deadline || !f.invariant_tsc || !f.rdrand || !f.rdseed;
  if (lacks_any) {
    words.Append("; lacks ");
    words.Restart();
    words.Add(!f.nx, "nx");
    words.Add(!f.smep, "smep");
    words.Add(!f.smap, "smap");
    words.Add(!f.umip, "umip");
    words.Add(!f.fsgsbase, "fsgsbase");
    words.Add(!f.x2apic, "x2apic");
    words.Add(!f.tsc_deadline, "tsc-deadline");
    words.Add(!f.invariant_tsc, "invariant-tsc");
    words.Add(!f.rdrand, "rdrand");
    words.Add(!f.rdseed, "rdseed");
  }
}

}  // namespace hiillos::arch
