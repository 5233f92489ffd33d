// tools/syscall_reference/reference_test.cc — docs/syscalls.md lists exactly what the syscall
// table says (every call, its arguments, every error and no other), and the table's argument
// names match its argument kinds.
#include "tools/syscall_reference/reference.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "uapi/syscalls.h"

namespace hiillos::tools {
namespace {

std::string ReadDocument() {
  std::ifstream in("docs/syscalls.md");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

TEST(SyscallReferenceTest, DocumentTableMatchesTheSyscallTable) {
  const std::string document = ReadDocument();
  ASSERT_FALSE(document.empty()) << "docs/syscalls.md not found in the runfiles";
  const std::string section = GeneratedSection(document);
  ASSERT_FALSE(section.empty()) << "the generated-section markers are missing";
  EXPECT_EQ(section, RenderSyscallTable())
      << "docs/syscalls.md is out of date: run `bazel run //tools/syscall_reference -- --update`";
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
  EXPECT_NE(table.find("| 11 | `VmemMap(vmem, frame, vaddr, flags)` | `vmem`: Vmem handle, Map; "
                       "`frame`: Frame handle, Map; `vaddr`: u64; `flags`: MapFlags | 0 |"),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("| 21 | `ThreadExit(code)` | `code`: u64 | does not return | — | — |"),
            std::string::npos)
      << table;
}

TEST(SyscallReferenceTest, GeneratedSectionNeedsBothMarkers) {
  EXPECT_EQ(GeneratedSection("no markers"), "");
  EXPECT_EQ(GeneratedSection(std::string(kBeginMarker) + "x\n"), "");
  EXPECT_EQ(GeneratedSection(std::string("a\n") + kBeginMarker + "x\n" + kEndMarker), "x\n");
}

}  // namespace
}  // namespace hiillos::tools
