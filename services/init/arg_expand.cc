// services/init/arg_expand.cc — ${KEY} substitution in service arguments.
#include "services/init/arg_expand.h"

namespace hiillos::init {

const char* ExpandErrorName(ExpandError error) {
  switch (error) {
    case ExpandError::kOk:
      return "ok";
    case ExpandError::kUnset:
      return "not in init's environment";
    case ExpandError::kTooLong:
      return "too long once filled in";
    case ExpandError::kUnclosed:
      return "\"${\" without \"}\"";
  }
  return "?";
}

ExpandError ExpandArg(const char* arg, EnvLookup lookup, void* context, char* out, size_t capacity,
                      Missing* missing) {
  size_t used = 0;
  auto put = [&](const char* text, size_t length) -> bool {
    if (length >= capacity - used) return false;  // keep room for the NUL
    for (size_t i = 0; i < length; ++i) out[used++] = text[i];
    return true;
  };
  if (capacity == 0) return ExpandError::kTooLong;
  for (size_t i = 0; arg[i] != '\0';) {
    if (arg[i] != '$' || arg[i + 1] != '{') {
      if (!put(arg + i, 1)) return ExpandError::kTooLong;
      ++i;
      continue;
    }
    const size_t key = i + 2;
    size_t end = key;
    while (arg[end] != '\0' && arg[end] != '}') ++end;
    if (arg[end] != '}') return ExpandError::kUnclosed;
    const char* value = nullptr;
    size_t value_length = 0;
    if (!lookup(context, arg + key, end - key, &value, &value_length)) {
      if (missing != nullptr) *missing = Missing{arg + key, end - key};
      return ExpandError::kUnset;
    }
    if (!put(value, value_length)) return ExpandError::kTooLong;
    i = end + 1;
  }
  out[used] = '\0';
  return ExpandError::kOk;
}

}  // namespace hiillos::init
