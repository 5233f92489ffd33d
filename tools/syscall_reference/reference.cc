// tools/syscall_reference/reference.cc — renders docs/syscalls.md's call table from the
// SyscallSpec of every call (uapi/syscalls.h), and reads argument names out of the table.
#include "tools/syscall_reference/reference.h"

#include <stdint.h>

#include <cctype>
#include <string>
#include <vector>

#include "uapi/syscalls.h"

namespace hiillos::tools {
namespace {

using uapi::ObjectType;
using uapi::Rights;
using uapi::Status;

// The documented name of each struct a user pointer can carry; a new one must be added here.
template <typename T>
struct AbiName;
template <>
struct AbiName<char> {
  static constexpr const char* kValue = "char";
};
template <>
struct AbiName<uapi::MemoryInfo> {
  static constexpr const char* kValue = "MemoryInfo";
};
template <>
struct AbiName<uapi::PageFault> {
  static constexpr const char* kValue = "PageFault";
};
template <>
struct AbiName<uapi::FrameInfo> {
  static constexpr const char* kValue = "FrameInfo";
};
template <>
struct AbiName<uapi::ThreadRegs> {
  static constexpr const char* kValue = "ThreadRegs";
};
template <>
struct AbiName<uapi::ThreadExit> {
  static constexpr const char* kValue = "ThreadExit";
};
template <>
struct AbiName<uapi::SystemInfo> {
  static constexpr const char* kValue = "SystemInfo";
};
template <>
struct AbiName<uapi::IrqOffStats> {
  static constexpr const char* kValue = "IrqOffStats";
};
template <>
struct AbiName<uapi::ClockInfo> {
  static constexpr const char* kValue = "ClockInfo";
};
template <>
struct AbiName<uapi::CpuTimes> {
  static constexpr const char* kValue = "CpuTimes";
};
template <>
struct AbiName<uapi::MsiMessage> {
  static constexpr const char* kValue = "MsiMessage";
};
template <>
struct AbiName<uint64_t> {
  static constexpr const char* kValue = "u64";
};

std::string RightsText(Rights rights) {
  static constexpr struct {
    Rights right;
    const char* name;
  } kNames[] = {{Rights::kRead, "Read"},       {Rights::kWrite, "Write"},
                {Rights::kExecute, "Execute"}, {Rights::kMap, "Map"},
                {Rights::kClone, "Clone"},     {Rights::kTransfer, "Transfer"}};
  std::string text;
  for (const auto& entry : kNames) {
    if (!rights.Has(entry.right)) continue;
    if (!text.empty()) text += " + ";
    text += entry.name;
  }
  return text.empty() ? "no right" : text;
}

// What an argument of each kind is, for the reader.
template <typename Kind>
struct KindText;
template <ObjectType kType, Rights kRights>
struct KindText<uapi::Cap<kType, kRights>> {
  static std::string Get() {
    return std::string(uapi::ObjectTypeName(kType)) + " handle, " + RightsText(kRights);
  }
};
template <>
struct KindText<uapi::AnyCap> {
  static std::string Get() { return "any handle"; }
};
template <typename T>
struct KindText<uapi::UserIn<T>> {
  static std::string Get() { return std::string("in ") + AbiName<T>::kValue + "*"; }
};
template <typename T>
struct KindText<uapi::UserOut<T>> {
  static std::string Get() { return std::string("out ") + AbiName<T>::kValue + "*"; }
};
template <typename T>
struct KindText<uapi::UserInArray<T>> {
  static std::string Get() { return std::string("in ") + AbiName<T>::kValue + "[]"; }
};
template <>
struct KindText<uapi::Word> {
  static std::string Get() { return "u64"; }
};
template <uint64_t kMax>
struct KindText<uapi::UpTo<kMax>> {
  static std::string Get() { return "0.." + std::to_string(kMax); }
};
template <>
struct KindText<uapi::RightsMask> {
  static std::string Get() { return "Rights"; }
};
template <>
struct KindText<uapi::MapFlagBits> {
  static std::string Get() { return "MapFlags"; }
};

template <typename Value>
struct ValueText;
template <>
struct ValueText<void> {
  static std::string Get() { return "0"; }
};
template <>
struct ValueText<uapi::NewHandle> {
  static std::string Get() { return "new handle"; }
};
template <>
struct ValueText<uapi::CapInfo> {
  static std::string Get() { return "`(rights << 8) \\| type`"; }
};
template <>
struct ValueText<uapi::Bits> {
  static std::string Get() { return "signal bits"; }
};
template <>
struct ValueText<uapi::NoReturn> {
  static std::string Get() { return "does not return"; }
};
template <>
struct ValueText<uapi::Message> {
  static std::string Get() { return "message (IPC registers)"; }
};

template <typename Signature>
struct SignatureText;
template <typename V, typename... K>
struct SignatureText<V(K...)> {
  static std::vector<std::string> Kinds() { return {KindText<K>::Get()...}; }
  static std::string Value() { return ValueText<V>::Get(); }
};

std::string ErrorsText(uapi::ErrorSet errors) {
  std::string text;
  for (int64_t raw = 0; raw < uapi::kStatusCount; ++raw) {
    auto status = static_cast<Status>(raw);
    if (!errors.Has(status)) continue;
    if (!text.empty()) text += ", ";
    text += std::string("`") + uapi::StatusName(status) + "`";
  }
  return text.empty() ? "—" : text;
}

template <uapi::Syscall kCall>
std::string Row() {
  using Spec = uapi::SyscallSpec<kCall>;
  using Text = SignatureText<typename Spec::Signature>;
  std::vector<std::string> names = ArgumentNames(Spec::kArguments);
  std::vector<std::string> kinds = Text::Kinds();
  std::string call = std::string("`") + Spec::kName + "(";
  std::string arguments;
  for (size_t i = 0; i < kinds.size(); ++i) {
    const std::string name = i < names.size() ? names[i] : "?";
    call += (i == 0 ? "" : ", ") + name;
    arguments += (i == 0 ? "" : "; ") + ("`" + name + "`: " + kinds[i]);
  }
  call += ")`";
  if (arguments.empty()) arguments = "—";
  return "| " + std::to_string(Spec::kNumber) + " | " + call + " | " + arguments + " | " +
         Text::Value() + " | " + ErrorsText(Spec::kDecodeErrors) + " | " +
         ErrorsText(Spec::kPerformErrors) + " |\n";
}

}  // namespace

std::string RenderSyscallTable() {
  std::string table =
      "| # | call | arguments | value | decode errors | perform errors |\n"
      "| --- | --- | --- | --- | --- | --- |\n";
#define HIILLOS_REFERENCE_ROW(number, name, ...) table += Row<uapi::Syscall::k##name>();
  HIILLOS_SYSCALLS(HIILLOS_REFERENCE_ROW)
#undef HIILLOS_REFERENCE_ROW
  return table;
}

std::vector<std::string> ArgumentNames(const std::string& parameter_list) {
  std::vector<std::string> names;
  std::string inner = parameter_list;
  if (inner.size() >= 2 && inner.front() == '(' && inner.back() == ')') {
    inner = inner.substr(1, inner.size() - 2);
  }
  int depth = 0;
  std::string current;
  auto finish = [&names](const std::string& parameter) {
    size_t end = parameter.size();
    while (end > 0 && std::isspace(static_cast<unsigned char>(parameter[end - 1]))) --end;
    size_t begin = end;
    while (begin > 0 && (std::isalnum(static_cast<unsigned char>(parameter[begin - 1])) ||
                         parameter[begin - 1] == '_')) {
      --begin;
    }
    if (begin < end) names.push_back(parameter.substr(begin, end - begin));
  };
  for (char c : inner) {
    if (c == '<' || c == '(') ++depth;
    if (c == '>' || c == ')') --depth;
    if (c == ',' && depth == 0) {
      finish(current);
      current.clear();
    } else {
      current += c;
    }
  }
  finish(current);
  return names;
}

}  // namespace hiillos::tools
