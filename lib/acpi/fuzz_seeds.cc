// lib/acpi/fuzz_seeds.cc — seed images for the ACPI fuzzer.
#include "lib/acpi/fuzz_seeds.h"

namespace hiillos::acpi::testing {

std::vector<Bytes> FuzzSeeds() {
  std::vector<Bytes> seeds;
  {
    FakeMemory q35 = MakeQ35Memory();
    q35.Place(0, MakeRsdp(2, 0, kQ35Xsdt));
    seeds.push_back(q35.bytes());
  }
  {
    FakeMemory rsdt = MakeQ35Memory();
    rsdt.Place(0xb00, MakeRsdt({kQ35Fadt, kQ35Madt, kQ35Hpet, kQ35Mcfg}));
    rsdt.Place(0, MakeRsdp(0, 0xb00, 0));
    seeds.push_back(rsdt.bytes());
  }
  {
    FakeMemory x2 = MakeQ35Memory();
    x2.Place(kQ35Madt,
             MakeMadt(0xfee00000, 0,
                      {X2ApicEntry(0, 1, 0), X2ApicEntry(0x100, 1, 1), X2ApicEntry(0x101, 2, 2),
                       LocalApicAddressEntry(0xfee00000), X2ApicNmiEntry(0, 0xffffffff, 1),
                       IoApicEntry(1, 0xfec00000, 0), Bytes{0x7f, 4, 0, 0}}));
    x2.Place(kQ35Mcfg, MakeMcfg({{0xb0000000, 0, 0, 127}, {0xc0000000, 1, 0, 255}}));
    x2.Place(0, MakeRsdp(2, 0, kQ35Xsdt));
    seeds.push_back(x2.bytes());
  }
  return seeds;
}

}  // namespace hiillos::acpi::testing
