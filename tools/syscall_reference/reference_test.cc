// tools/syscall_reference/reference_test.cc — docs/syscalls.md lists exactly what the syscall
// table says (every call, its arguments, every error and no other) and every status, and
// docs/objects.md every object type (implemented or reserved); the table's argument names match
// its argument kinds.
#include "tools/syscall_reference/reference.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "uapi/syscalls.h"

namespace hiillos::tools {
namespace {

std::string ReadDocument(const char* path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

TEST(SyscallReferenceTest, DocumentsMatchUapi) {
  for (const GeneratedTable& table : kGeneratedTables) {
    const std::string document = ReadDocument(table.document);
    ASSERT_FALSE(document.empty()) << table.document << " not found in the runfiles";
    std::string section;
    ASSERT_TRUE(FindSection(document, table.name, &section))
        << table.document << ": the markers of \"" << table.name << "\" are missing";
    EXPECT_EQ(section, table.render())
        << table.document << " (\"" << table.name
        << "\") is out of date: run `bazel run //tools/syscall_reference -- --update`";
  }
}

TEST(SyscallReferenceTest, CodeTablesMarkTheReservedValues) {
  const std::string statuses = RenderStatusTable();
  EXPECT_NE(statuses.find("| 14 | `WouldBlock` |"), std::string::npos) << statuses;
  EXPECT_NE(statuses.find("nobody waiting) | yes |"), std::string::npos) << statuses;
  EXPECT_NE(statuses.find("| 16 | `TimedOut` |"), std::string::npos) << statuses;
  EXPECT_NE(statuses.find("reached it first | yes |"), std::string::npos) << statuses;
  EXPECT_NE(statuses.find("| 0 | `Ok` | success: the only non-error value | yes |"),
            std::string::npos)
      << statuses;
  const std::string types = RenderObjectTypeTable();
  EXPECT_NE(types.find("| 6 | `Receiver` |"), std::string::npos) << types;
  EXPECT_NE(types.find("| 3 | `Vmem` | an address space | yes |"), std::string::npos) << types;
}

template <uapi::Syscall kCall>
void ExpectOneNamePerArgument() {
  using Spec = uapi::SyscallSpec<kCall>;
  auto names = ArgumentNames(Spec::kArguments);
  EXPECT_EQ(names.size(), uapi::SignatureTraits<typename Spec::Signature>::kArgCount)
      << Spec::kName << Spec::kArguments;
}

TEST(SyscallReferenceTest, EveryArgumentHasAName) {
#define HIILLOS_EXPECT_NAMES(number, name, ...) ExpectOneNamePerArgument<uapi::Syscall::k##name>();
  HIILLOS_SYSCALLS(HIILLOS_EXPECT_NAMES)
#undef HIILLOS_EXPECT_NAMES
}

TEST(SyscallReferenceTest, ArgumentNamesSkipTemplateArguments) {
  EXPECT_EQ(ArgumentNames("()"), std::vector<std::string>{});
  EXPECT_EQ(ArgumentNames("(Cap<kVmem, Rights::kMap | Rights::kRead> vmem, Word vaddr)"),
            (std::vector<std::string>{"vmem", "vaddr"}));
  EXPECT_EQ(ArgumentNames("(UserOut<SystemInfo> out)"), std::vector<std::string>{"out"});
}

TEST(SyscallReferenceTest, RowsFollowTheTable) {
  const std::string table = RenderSyscallTable();
  EXPECT_NE(table.find("| 11 | `VmemMap(vmem, frame, vaddr, flags, memory)` | `vmem`: Vmem handle, "
                       "Map; `frame`: Frame handle, Map; `vaddr`: u64; `flags`: MapFlags; "
                       "`memory`: Memory handle, Write | 0 |"),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("| 21 | `ThreadExit(code)` | `code`: u64 | does not return | — | — |"),
            std::string::npos)
      << table;
}

TEST(SyscallReferenceTest, SectionsNeedBothMarkers) {
  std::string text;
  EXPECT_FALSE(FindSection("no markers", "a", &text));
  EXPECT_FALSE(FindSection(BeginMarker("a") + "x\n", "a", &text));
  EXPECT_FALSE(FindSection(BeginMarker("a") + "x\n" + EndMarker("b"), "a", &text));
  const std::string document = "a\n" + BeginMarker("a") + "x\n" + EndMarker("a") + "z\n";
  ASSERT_TRUE(FindSection(document, "a", &text));
  EXPECT_EQ(text, "x\n");
  std::string updated = document;
  ASSERT_TRUE(ReplaceSection(&updated, "a", "y\ny\n"));
  EXPECT_EQ(updated, "a\n" + BeginMarker("a") + "y\ny\n" + EndMarker("a") + "z\n");
  EXPECT_FALSE(ReplaceSection(&updated, "b", "q"));
}

}  // namespace
}  // namespace hiillos::tools
