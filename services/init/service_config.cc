// services/init/service_config.cc — the init.conf parser and the dependency ordering.
#include "services/init/service_config.h"

#include "lib/path/normal_path.h"

namespace hiillos::init {
namespace {

struct Text {
  const char* data;
  size_t length;
};

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r';
}

Text Trim(Text t) {
  while (t.length > 0 && IsSpace(t.data[0])) {
    ++t.data;
    --t.length;
  }
  while (t.length > 0 && IsSpace(t.data[t.length - 1])) --t.length;
  return t;
}

bool Equals(Text t, const char* literal) {
  size_t i = 0;
  for (; literal[i] != '\0'; ++i) {
    if (i >= t.length || t.data[i] != literal[i]) return false;
  }
  return i == t.length;
}

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

Result<Name, ConfigError> ParseName(Text t) {
  if (t.length == 0 || t.length > kMaxNameLength) return Err(ConfigError::kBadName);
  Name name;
  for (size_t i = 0; i < t.length; ++i) {
    if (!IsNameChar(t.data[i])) return Err(ConfigError::kBadName);
    name.text[i] = t.data[i];
  }
  name.length = t.length;
  return name;
}

bool SameName(const Name& a, const char* b, size_t b_length) {
  if (a.length != b_length) return false;
  for (size_t i = 0; i < b_length; ++i) {
    if (a.text[i] != b[i]) return false;
  }
  return true;
}

// Calls `each(word)` for every whitespace-separated word of `t`; stops at the first error.
template <typename Each>
Result<void, ConfigError> ForEachWord(Text t, Each each) {
  size_t i = 0;
  while (i < t.length) {
    while (i < t.length && IsSpace(t.data[i])) ++i;
    const size_t start = i;
    while (i < t.length && !IsSpace(t.data[i])) ++i;
    if (i > start) TRY(each(Text{t.data + start, i - start}));
  }
  return Ok<ConfigError>();
}

Result<uint32_t, ConfigError> ParseNumber(Text t, uint32_t min, uint32_t max) {
  if (t.length == 0 || t.length > 10) return Err(ConfigError::kBadValue);
  uint64_t value = 0;
  for (size_t i = 0; i < t.length; ++i) {
    if (t.data[i] < '0' || t.data[i] > '9') return Err(ConfigError::kBadValue);
    value = value * 10 + static_cast<uint64_t>(t.data[i] - '0');
  }
  if (value < min || value > max) return Err(ConfigError::kBadValue);
  return static_cast<uint32_t>(value);
}

enum Key : uint32_t {
  kExec = 1u << 0,
  kArgs = 1u << 1,
  kNeeds = 1u << 2,
  kCaps = 1u << 3,
  kRestart = 1u << 4,
  kMaxRestarts = 1u << 5,
  kBackoff = 1u << 6,
  kSessions = 1u << 7,
  kReady = 1u << 8,
  kReadyTimeout = 1u << 9,
  kHealthy = 1u << 10,
};

Result<Key, ConfigError> ParseKey(Text t) {
  if (Equals(t, "exec")) return kExec;
  if (Equals(t, "args")) return kArgs;
  if (Equals(t, "needs")) return kNeeds;
  if (Equals(t, "caps")) return kCaps;
  if (Equals(t, "restart")) return kRestart;
  if (Equals(t, "max_restarts")) return kMaxRestarts;
  if (Equals(t, "backoff_ms")) return kBackoff;
  if (Equals(t, "sessions")) return kSessions;
  if (Equals(t, "ready")) return kReady;
  if (Equals(t, "ready_timeout_ms")) return kReadyTimeout;
  if (Equals(t, "healthy_ms")) return kHealthy;
  return Err(ConfigError::kUnknownKey);
}

Result<void, ConfigError> SetExec(ServiceConfig& s, Text value) {
  auto parsed = path::NormalPath::Parse(value.data, value.length);
  if (!parsed) return Err(ConfigError::kBadExec);
  const path::NormalPath& p = parsed.value();
  // Stored normalised, with its scheme spelt out: "initfs:///sbin/vm".
  const char* scheme = path::SchemeName(p.scheme());
  size_t n = 0;
  auto append = [&](const char* text, size_t length) -> bool {
    if (n + length > kMaxExecLength) return false;
    for (size_t i = 0; i < length; ++i) s.exec[n++] = text[i];
    return true;
  };
  size_t scheme_length = 0;
  while (scheme[scheme_length] != '\0') ++scheme_length;
  if (!append(scheme, scheme_length) || !append("://", 3) || !append(p.path(), p.length())) {
    return Err(ConfigError::kBadExec);
  }
  s.exec[n] = '\0';
  s.exec_length = n;
  return Ok<ConfigError>();
}

Result<void, ConfigError> SetArgs(ServiceConfig& s, Text value) {
  size_t used = 0;
  return ForEachWord(value, [&](Text word) -> Result<void, ConfigError> {
    if (s.arg_count == kMaxArgs || used + word.length + 1 > kMaxArgBytes) {
      return Err(ConfigError::kTooManyItems);
    }
    for (size_t i = 0; i < word.length; ++i) s.arg_bytes[used++] = word.data[i];
    s.arg_bytes[used++] = '\0';
    ++s.arg_count;
    return Ok<ConfigError>();
  });
}

template <size_t N>
Result<void, ConfigError> SetNames(Name (&names)[N], size_t& count, Text value) {
  return ForEachWord(value, [&](Text word) -> Result<void, ConfigError> {
    if (count == N) return Err(ConfigError::kTooManyItems);
    names[count++] = TRY(ParseName(word));
    return Ok<ConfigError>();
  });
}

// A cap source NAME or NAME:BADGE: sets cap_sources[i] and cap_badges[i].
Result<void, ConfigError> SetCapSource(ServiceConfig& s, size_t i, Text source) {
  size_t hash = 0;
  while (hash < source.length && source.data[hash] != ':') ++hash;
  s.cap_sources[i] = TRY(ParseName(Text{source.data, hash}));
  s.cap_badges[i] = -1;
  if (hash < source.length) {
    const Text number{source.data + hash + 1, source.length - hash - 1};
    s.cap_badges[i] = static_cast<int32_t>(TRY(ParseNumber(number, 0, kMaxExplicitBadge)));
  }
  return Ok<ConfigError>();
}

// `caps` words: NAME (init hands its capability NAME under that name) or GIVEN=NAME (init
// hands NAME, the program sees it as GIVEN: "block.vda=virtio-blk"). GIVEN may also hold '.'.
// NAME may end in #BADGE (a service's Sender with that badge; the program sees it as NAME).
Result<void, ConfigError> SetCaps(ServiceConfig& s, Text value) {
  return ForEachWord(value, [&](Text word) -> Result<void, ConfigError> {
    if (s.cap_count == kMaxCaps) return Err(ConfigError::kTooManyItems);
    size_t split = 0;
    while (split < word.length && word.data[split] != '=') ++split;
    if (split == word.length) {
      TRY(SetCapSource(s, s.cap_count, word));
      s.caps[s.cap_count] = s.cap_sources[s.cap_count];
      ++s.cap_count;
      return Ok<ConfigError>();
    }
    const Text given{word.data, split};
    const Text source{word.data + split + 1, word.length - split - 1};
    if (given.length == 0 || given.length > kMaxNameLength) return Err(ConfigError::kBadName);
    Name given_name;
    for (size_t i = 0; i < given.length; ++i) {
      const char c = given.data[i];
      if (!IsNameChar(c) && c != '.') return Err(ConfigError::kBadName);
      given_name.text[i] = c;
    }
    given_name.length = given.length;
    TRY(SetCapSource(s, s.cap_count, source));
    s.caps[s.cap_count] = given_name;
    ++s.cap_count;
    return Ok<ConfigError>();
  });
}

Result<void, ConfigError> SetRestart(ServiceConfig& s, Text value) {
  if (Equals(value, "never")) {
    s.restart = RestartPolicy::kNever;
  } else if (Equals(value, "on-failure")) {
    s.restart = RestartPolicy::kOnFailure;
  } else if (Equals(value, "always")) {
    s.restart = RestartPolicy::kAlways;
  } else {
    return Err(ConfigError::kBadValue);
  }
  return Ok<ConfigError>();
}

Result<void, ConfigError> ApplyKey(ServiceConfig& s, Key key, Text value) {
  switch (key) {
    case kExec:
      return SetExec(s, value);
    case kArgs:
      return SetArgs(s, value);
    case kNeeds:
      return SetNames(s.need_names, s.need_count, value);
    case kCaps:
      return SetCaps(s, value);
    case kRestart:
      return SetRestart(s, value);
    case kMaxRestarts:
      s.max_restarts = TRY(ParseNumber(value, 0, kMaxRestartsLimit));
      return Ok<ConfigError>();
    case kBackoff:
      s.backoff_ms = TRY(ParseNumber(value, 1, kMaxBackoffMs));
      return Ok<ConfigError>();
    case kSessions:
      if (Equals(value, "shared")) {
        s.per_client_sessions = false;
      } else if (Equals(value, "per-client")) {
        s.per_client_sessions = true;
      } else {
        return Err(ConfigError::kBadValue);
      }
      return Ok<ConfigError>();
    case kReady:
      if (Equals(value, "started")) {
        s.ready_notify = false;
      } else if (Equals(value, "notify")) {
        s.ready_notify = true;
      } else {
        return Err(ConfigError::kBadValue);
      }
      return Ok<ConfigError>();
    case kReadyTimeout:
      s.ready_timeout_ms = TRY(ParseNumber(value, 1, kMaxReadyTimeoutMs));
      return Ok<ConfigError>();
    case kHealthy:
      s.healthy_ms = TRY(ParseNumber(value, 1, kMaxHealthyMs));
      return Ok<ConfigError>();
  }
  return Err(ConfigError::kUnknownKey);
}

ConfigProblem Problem(ConfigError error, uint32_t line, int32_t service) {
  return ConfigProblem{error, line, service};
}

Result<void, ConfigProblem> ComputeStartOrder(Config& config) {
  bool placed[kMaxServices] = {};
  for (size_t position = 0; position < config.count; ++position) {
    size_t next = config.count;
    for (size_t i = 0; i < config.count && next == config.count; ++i) {
      if (placed[i]) continue;
      bool ready = true;
      for (size_t n = 0; n < config.services[i].need_count; ++n) {
        ready = ready && placed[config.services[i].needs[n]];
      }
      if (ready) next = i;
    }
    if (next == config.count) {
      size_t first = 0;
      while (placed[first]) ++first;
      return Err(Problem(ConfigError::kDependencyCycle, config.services[first].line,
                         static_cast<int32_t>(first)));
    }
    placed[next] = true;
    config.start_order[position] = static_cast<uint8_t>(next);
  }
  return Ok<ConfigProblem>();
}

}  // namespace

const char* RestartPolicyName(RestartPolicy policy) {
  switch (policy) {
    case RestartPolicy::kNever:
      return "never";
    case RestartPolicy::kOnFailure:
      return "on-failure";
    case RestartPolicy::kAlways:
      return "always";
  }
  return "unknown";
}

const char* ServiceConfig::arg(size_t i) const {
  const char* p = arg_bytes;
  for (; i > 0; --i) {
    while (*p != '\0') ++p;
    ++p;
  }
  return p;
}

int Config::Find(const char* name, size_t length) const {
  for (size_t i = 0; i < count; ++i) {
    if (SameName(services[i].name, name, length)) return static_cast<int>(i);
  }
  return -1;
}

uint64_t ClientBadge(const Config& config, size_t client, size_t cap, size_t server) {
  const ServiceConfig& c = config.services[client];
  if (c.cap_badges[cap] >= 0) return static_cast<uint64_t>(c.cap_badges[cap]);
  const ServiceConfig& s = config.services[server];
  if (!s.per_client_sessions) return kSharedClientBadge;
  uint64_t earlier = 0;
  for (size_t i = 0; i < client; ++i) {
    const ServiceConfig& other = config.services[i];
    for (size_t k = 0; k < other.cap_count; ++k) {
      if (other.cap_badges[k] < 0 && SameName(other.cap_sources[k], s.name.text, s.name.length)) {
        ++earlier;
        break;
      }
    }
  }
  return 1 + earlier;
}

Result<void, ConfigProblem> ParseConfig(const char* text, size_t length, Config& out) {
  out.count = 0;
  uint32_t seen_keys = 0;
  uint32_t line_number = 0;
  for (size_t start = 0; start < length;) {
    size_t end = start;
    while (end < length && text[end] != '\n') ++end;
    ++line_number;
    const int32_t current = static_cast<int32_t>(out.count) - 1;
    if (end - start > kMaxLineLength) {
      return Err(Problem(ConfigError::kLineTooLong, line_number, current));
    }
    Text line{text + start, end - start};
    start = end + 1;
    for (size_t i = 0; i < line.length; ++i) {
      if (line.data[i] == '#') line.length = i;
      if (line.data[i] == '\0') return Err(Problem(ConfigError::kSyntax, line_number, current));
    }
    line = Trim(line);
    if (line.length == 0) continue;

    if (line.data[0] == '[') {
      if (line.data[line.length - 1] != ']') {
        return Err(Problem(ConfigError::kSyntax, line_number, current));
      }
      auto name = ParseName(Trim(Text{line.data + 1, line.length - 2}));
      if (!name) return Err(Problem(name.error(), line_number, current));
      if (out.Find(name.value().text, name.value().length) >= 0) {
        return Err(Problem(ConfigError::kDuplicateService, line_number, current));
      }
      if (out.count == kMaxServices) {
        return Err(Problem(ConfigError::kTooManyServices, line_number, current));
      }
      ServiceConfig& s = out.services[out.count];
      s = ServiceConfig{};
      s.name = name.value();
      s.line = line_number;
      ++out.count;
      seen_keys = 0;
      continue;
    }

    size_t eq = 0;
    while (eq < line.length && line.data[eq] != '=') ++eq;
    if (eq == line.length) return Err(Problem(ConfigError::kSyntax, line_number, current));
    if (current < 0) return Err(Problem(ConfigError::kKeyOutsideService, line_number, current));
    auto key = ParseKey(Trim(Text{line.data, eq}));
    if (!key) return Err(Problem(key.error(), line_number, current));
    if ((seen_keys & key.value()) != 0) {
      return Err(Problem(ConfigError::kDuplicateKey, line_number, current));
    }
    seen_keys |= key.value();
    const Text value = Trim(Text{line.data + eq + 1, line.length - eq - 1});
    auto applied = ApplyKey(out.services[current], key.value(), value);
    if (!applied) return Err(Problem(applied.error(), line_number, current));
  }

  for (size_t i = 0; i < out.count; ++i) {
    ServiceConfig& s = out.services[i];
    const int32_t index = static_cast<int32_t>(i);
    if (s.exec_length == 0) return Err(Problem(ConfigError::kMissingExec, s.line, index));
    for (size_t n = 0; n < s.need_count; ++n) {
      const int found = out.Find(s.need_names[n].text, s.need_names[n].length);
      if (found < 0) return Err(Problem(ConfigError::kUnknownDependency, s.line, index));
      s.needs[n] = static_cast<uint8_t>(found);
    }
  }
  return ComputeStartOrder(out);
}

}  // namespace hiillos::init
