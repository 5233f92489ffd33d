// services/init/arg_expand_test.cc — host tests of ${KEY} substitution (arg_expand.h).
#include "services/init/arg_expand.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace hiillos::init {
namespace {

using Env = std::map<std::string, std::string>;

bool Lookup(void* context, const char* key, size_t key_length, const char** value,
            size_t* value_length) {
  const Env& env = *static_cast<const Env*>(context);
  auto it = env.find(std::string(key, key_length));
  if (it == env.end()) return false;
  *value = it->second.data();
  *value_length = it->second.size();
  return true;
}

struct Expanded {
  ExpandError error;
  std::string text;
  std::string missing;
};

Expanded Expand(const std::string& arg, const Env& env, size_t capacity = 64) {
  std::string out(capacity, 'X');
  Missing missing;
  const ExpandError error =
      ExpandArg(arg.c_str(), Lookup, const_cast<Env*>(&env), out.data(), capacity, &missing);
  return {error, error == ExpandError::kOk ? std::string(out.c_str()) : "",
          missing.key ? std::string(missing.key, missing.length) : ""};
}

TEST(ArgExpandTest, FillsInKeys) {
  const Env env = {{"acpi.rsdp", "7fbfa014"}, {"boot.root", "vda"}, {"empty", ""}};
  EXPECT_EQ(Expand("${acpi.rsdp}", env).text, "7fbfa014");
  EXPECT_EQ(Expand("root=${boot.root}", env).text, "root=vda");
  EXPECT_EQ(Expand("${boot.root}-${boot.root}!", env).text, "vda-vda!");
  EXPECT_EQ(Expand("a${empty}b", env).text, "ab");
  EXPECT_EQ(Expand("plain", env).text, "plain");
  EXPECT_EQ(Expand("$5 and $x{", env).text, "$5 and $x{");
  EXPECT_EQ(Expand("", env).text, "");
}

TEST(ArgExpandTest, Errors) {
  const Env env = {{"k", "value"}};
  Expanded unset = Expand("root=${boot.root}", env);
  EXPECT_EQ(unset.error, ExpandError::kUnset);
  EXPECT_EQ(unset.missing, "boot.root");
  EXPECT_EQ(Expand("${k", env).error, ExpandError::kUnclosed);
  EXPECT_EQ(Expand("${}", env).error, ExpandError::kUnset);
  // Capacity counts the NUL: "value" needs 6 bytes.
  EXPECT_EQ(Expand("${k}", env, 6).error, ExpandError::kOk);
  EXPECT_EQ(Expand("${k}", env, 5).error, ExpandError::kTooLong);
  EXPECT_EQ(Expand("abcdef", env, 6).error, ExpandError::kTooLong);
  EXPECT_EQ(Expand("a", env, 0).error, ExpandError::kTooLong);
  EXPECT_STRNE(ExpandErrorName(ExpandError::kUnset), "?");
}

}  // namespace
}  // namespace hiillos::init
