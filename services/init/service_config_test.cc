// services/init/service_config_test.cc — init.conf parsing, every error with its line, and the
// dependency order.
#include "services/init/service_config.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hiillos::init {
namespace {

struct Parsed {
  bool ok;
  ConfigProblem problem;
};

Parsed Parse(const std::string& text, Config& config) {
  auto r = ParseConfig(text.data(), text.size(), config);
  return Parsed{r.ok(), r.ok() ? ConfigProblem{} : r.error()};
}

std::vector<std::string> Order(const Config& c) {
  std::vector<std::string> names;
  for (size_t i = 0; i < c.count; ++i) names.push_back(c.services[c.start_order[i]].name.text);
  return names;
}

void ExpectProblem(const std::string& text, ConfigError error, uint32_t line) {
  Config config;
  Parsed p = Parse(text, config);
  ASSERT_FALSE(p.ok) << text;
  EXPECT_EQ(p.problem.error, error) << text << " -> " << ConfigErrorName(p.problem.error);
  EXPECT_EQ(p.problem.line, line) << text;
}

TEST(ServiceConfigTest, ParsesEveryKey) {
  Config c;
  ASSERT_TRUE(Parse(R"(# services
[rngd]
exec = initfs:///sbin/rngd
caps = rdrand hpet   # trailing comment

[vfsd]
exec=/sbin/vfsd
args = --root  disk0   -v
needs = rngd
restart = always
max_restarts = 7
backoff_ms = 250
)",
                    c)
                  .ok);
  ASSERT_EQ(c.count, 2u);
  const ServiceConfig& rngd = c.services[0];
  EXPECT_STREQ(rngd.name.text, "rngd");
  EXPECT_STREQ(rngd.exec, "initfs:///sbin/rngd");
  ASSERT_EQ(rngd.cap_count, 2u);
  EXPECT_STREQ(rngd.caps[0].text, "rdrand");
  EXPECT_STREQ(rngd.caps[1].text, "hpet");
  EXPECT_EQ(rngd.restart, RestartPolicy::kOnFailure);
  EXPECT_EQ(rngd.max_restarts, 3u);
  EXPECT_EQ(rngd.backoff_ms, 100u);
  EXPECT_EQ(rngd.line, 2u);

  const ServiceConfig& vfsd = c.services[1];
  EXPECT_STREQ(vfsd.exec, "fs:///sbin/vfsd");
  ASSERT_EQ(vfsd.arg_count, 3u);
  EXPECT_STREQ(vfsd.arg(0), "--root");
  EXPECT_STREQ(vfsd.arg(1), "disk0");
  EXPECT_STREQ(vfsd.arg(2), "-v");
  ASSERT_EQ(vfsd.need_count, 1u);
  EXPECT_EQ(vfsd.needs[0], 0u);
  EXPECT_EQ(vfsd.restart, RestartPolicy::kAlways);
  EXPECT_EQ(vfsd.max_restarts, 7u);
  EXPECT_EQ(vfsd.backoff_ms, 250u);
  EXPECT_EQ(c.Find("vfsd", 4), 1);
  EXPECT_EQ(c.Find("nope", 4), -1);
}

TEST(ServiceConfigTest, ReadinessKeys) {
  Config c;
  ASSERT_TRUE(Parse(R"([a]
exec = /a
[b]
exec = /b
ready = notify
ready_timeout_ms = 250
healthy_ms = 5000
[c]
exec = /c
ready = started
)",
                    c)
                  .ok);
  EXPECT_FALSE(c.services[0].ready_notify);  // default: started
  EXPECT_EQ(c.services[0].ready_timeout_ms, 60000u);
  EXPECT_EQ(c.services[0].healthy_ms, 10000u);
  EXPECT_TRUE(c.services[1].ready_notify);
  EXPECT_EQ(c.services[1].ready_timeout_ms, 250u);
  EXPECT_EQ(c.services[1].healthy_ms, 5000u);
  EXPECT_FALSE(c.services[2].ready_notify);
  ExpectProblem("[a]\nexec = /a\nready = soon\n", ConfigError::kBadValue, 3);
  ExpectProblem("[a]\nexec = /a\nready_timeout_ms = 0\n", ConfigError::kBadValue, 3);
  ExpectProblem("[a]\nexec = /a\nready_timeout_ms = 600001\n", ConfigError::kBadValue, 3);
  ExpectProblem("[a]\nexec = /a\nhealthy_ms = 0\n", ConfigError::kBadValue, 3);
  ExpectProblem("[a]\nexec = /a\nready = notify\nready = started\n", ConfigError::kDuplicateKey, 4);
}

TEST(ServiceConfigTest, ExecIsNormalised) {
  Config c;
  ASSERT_TRUE(Parse("[a]\nexec = initfs:///sbin/../sbin//a/.\n", c).ok);
  EXPECT_STREQ(c.services[0].exec, "initfs:///sbin/a");
}

TEST(ServiceConfigTest, StartOrderPutsNeedsFirstAndOtherwiseKeepsFileOrder) {
  Config c;
  ASSERT_TRUE(Parse(R"([shell]
exec = /sbin/shell
needs = vfsd timed
[timed]
exec = /sbin/timed
[vfsd]
exec = /sbin/vfsd
needs = rngd
[rngd]
exec = /sbin/rngd
[pcid]
exec = /sbin/pcid
)",
                    c)
                  .ok);
  EXPECT_EQ(Order(c), (std::vector<std::string>{"timed", "rngd", "vfsd", "shell", "pcid"}));
}

TEST(ServiceConfigTest, EmptyConfigIsValid) {
  Config c;
  ASSERT_TRUE(Parse("# nothing\n\n", c).ok);
  EXPECT_EQ(c.count, 0u);
}

TEST(ServiceConfigTest, EachErrorNamesItsLine) {
  ExpectProblem("[a]\nexec = /a\n" + std::string(1100, 'x') + "\n", ConfigError::kLineTooLong, 3);
  ExpectProblem("[a]\nexec /a\n", ConfigError::kSyntax, 2);
  ExpectProblem("[a\nexec = /a\n", ConfigError::kSyntax, 1);
  ExpectProblem("exec = /a\n", ConfigError::kKeyOutsideService, 1);
  ExpectProblem("[A]\nexec = /a\n", ConfigError::kBadName, 1);
  ExpectProblem("[]\n", ConfigError::kBadName, 1);
  ExpectProblem("[" + std::string(32, 'a') + "]\n", ConfigError::kBadName, 1);
  ExpectProblem("[a]\nexec = /a\n[a]\nexec = /b\n", ConfigError::kDuplicateService, 3);
  ExpectProblem("[a]\nexec = /a\nfoo = 1\n", ConfigError::kUnknownKey, 3);
  ExpectProblem("[a]\nexec = /a\nexec = /b\n", ConfigError::kDuplicateKey, 3);
  ExpectProblem("[a]\nexec = /a\nrestart = sometimes\n", ConfigError::kBadValue, 3);
  ExpectProblem("[a]\nexec = /a\nmax_restarts = -1\n", ConfigError::kBadValue, 3);
  ExpectProblem("[a]\nexec = /a\nmax_restarts = 1001\n", ConfigError::kBadValue, 3);
  ExpectProblem("[a]\nexec = /a\nbackoff_ms = 0\n", ConfigError::kBadValue, 3);
  ExpectProblem("[a]\nexec = /a\nbackoff_ms = 99999999999\n", ConfigError::kBadValue, 3);
  ExpectProblem("[a]\nexec = /a\ncaps = Bad\n", ConfigError::kBadName, 3);
  ExpectProblem("[a]\nexec = sbin/a\n", ConfigError::kBadExec, 2);
  ExpectProblem("[a]\nexec = http://x/a\n", ConfigError::kBadExec, 2);
  ExpectProblem("[a]\nexec = /..\n", ConfigError::kBadExec, 2);
  ExpectProblem("[a]\nargs = x\n", ConfigError::kMissingExec, 1);
  ExpectProblem("[a]\nexec = /a\nargs = 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17\n",
                ConfigError::kTooManyItems, 3);
  ExpectProblem(
      "[a]\nexec = /a\nargs = " + std::string(200, 'x') + " " + std::string(60, 'y') + "\n",
      ConfigError::kTooManyItems, 3);
  ExpectProblem("[a]\nexec = /a\nneeds = b c d e f g h i j\n", ConfigError::kTooManyItems, 3);
  ExpectProblem("[a]\nexec = /a\nneeds = ghost\n", ConfigError::kUnknownDependency, 1);
  ExpectProblem("[a]\nexec = /a\nneeds = b\n[b]\nexec = /b\nneeds = a\n",
                ConfigError::kDependencyCycle, 1);
  ExpectProblem("[a]\nexec = /a\nneeds = a\n", ConfigError::kDependencyCycle, 1);
  ExpectProblem(std::string("[a]\nexec = /a\0\n", 14), ConfigError::kSyntax, 2);
}

TEST(ServiceConfigTest, CapabilityUnderAnotherName) {
  Config c;
  Parsed p = Parse("[a]\nexec = /a\ncaps = endpoint block.vda=virtio-blk initfs=initfs_image\n", c);
  ASSERT_TRUE(p.ok) << ConfigErrorName(p.problem.error);
  const ServiceConfig& a = c.services[0];
  ASSERT_EQ(a.cap_count, 3u);
  EXPECT_STREQ(a.caps[0].text, "endpoint");
  EXPECT_STREQ(a.cap_sources[0].text, "endpoint");
  EXPECT_STREQ(a.caps[1].text, "block.vda");
  EXPECT_STREQ(a.cap_sources[1].text, "virtio-blk");
  EXPECT_STREQ(a.caps[2].text, "initfs");
  EXPECT_STREQ(a.cap_sources[2].text, "initfs_image");
}

TEST(ServiceConfigTest, BadCapabilityAliases) {
  ExpectProblem("[a]\nexec = /a\ncaps = =b\n", ConfigError::kBadName, 3);
  ExpectProblem("[a]\nexec = /a\ncaps = b=\n", ConfigError::kBadName, 3);
  ExpectProblem("[a]\nexec = /a\ncaps = a=b=c\n", ConfigError::kBadName, 3);
  ExpectProblem("[a]\nexec = /a\ncaps = a.b\n", ConfigError::kBadName, 3);  // '.' only in GIVEN
  ExpectProblem("[a]\nexec = /a\ncaps = A=b\n", ConfigError::kBadName, 3);
  ExpectProblem("[a]\nexec = /a\ncaps = " + std::string(32, 'g') + "=b\n", ConfigError::kBadName,
                3);
}

TEST(ServiceConfigTest, ExplicitBadges) {
  Config c;
  Parsed p = Parse("[v]\nexec = /v\n[a]\nexec = /a\ncaps = v:0 admin=v:7 v\n", c);
  ASSERT_TRUE(p.ok) << ConfigErrorName(p.problem.error);
  const ServiceConfig& a = c.services[1];
  ASSERT_EQ(a.cap_count, 3u);
  EXPECT_STREQ(a.caps[0].text, "v");
  EXPECT_STREQ(a.cap_sources[0].text, "v");
  EXPECT_EQ(a.cap_badges[0], 0);
  EXPECT_STREQ(a.caps[1].text, "admin");
  EXPECT_STREQ(a.cap_sources[1].text, "v");
  EXPECT_EQ(a.cap_badges[1], 7);
  EXPECT_EQ(a.cap_badges[2], -1);
  EXPECT_EQ(ClientBadge(c, 1, 0, 0), 0u);
  EXPECT_EQ(ClientBadge(c, 1, 1, 0), 7u);
  EXPECT_EQ(ClientBadge(c, 1, 2, 0), kSharedClientBadge);
  ExpectProblem("[a]\nexec = /a\ncaps = b:\n", ConfigError::kBadValue, 3);
  ExpectProblem("[a]\nexec = /a\ncaps = b:65536\n", ConfigError::kBadValue, 3);
  ExpectProblem("[a]\nexec = /a\ncaps = b:x\n", ConfigError::kBadValue, 3);
  ExpectProblem("[a]\nexec = /a\ncaps = :1\n", ConfigError::kBadName, 3);
}

TEST(ServiceConfigTest, PerClientSessionsGiveEachClientServiceItsOwnBadge) {
  Config c;
  Parsed p = Parse(
      "[v]\nexec = /v\nsessions = per-client\n[s]\nexec = /s\nsessions = shared\n"
      "[a]\nexec = /a\ncaps = v s\n[b]\nexec = /b\ncaps = v:0 s\n"
      "[c]\nexec = /c\ncaps = x=v v s\n",
      c);
  ASSERT_TRUE(p.ok) << ConfigErrorName(p.problem.error);
  EXPECT_TRUE(c.services[0].per_client_sessions);
  EXPECT_FALSE(c.services[1].per_client_sessions);
  EXPECT_EQ(ClientBadge(c, 2, 0, 0), 1u);  // a: the first client of v
  EXPECT_EQ(ClientBadge(c, 3, 0, 0), 0u);  // b asked for :0 (and is not counted)
  EXPECT_EQ(ClientBadge(c, 4, 0, 0), 2u);  // c: the second; both of its caps share its badge
  EXPECT_EQ(ClientBadge(c, 4, 1, 0), 2u);
  for (size_t client = 2; client <= 4; ++client) {  // s is shared: badge 1 for everyone
    EXPECT_EQ(ClientBadge(c, client, client == 4 ? 2 : 1, 1), kSharedClientBadge);
  }
  ExpectProblem("[a]\nexec = /a\nsessions = some\n", ConfigError::kBadValue, 3);
}

TEST(ServiceConfigTest, TooManyServices) {
  std::string text;
  for (size_t i = 0; i <= kMaxServices; ++i) {
    text += "[s" + std::to_string(i) + "]\nexec = /s\n";
  }
  ExpectProblem(text, ConfigError::kTooManyServices, 2 * kMaxServices + 1);
}

TEST(ServiceConfigTest, ShippedInitConfParses) {
  // The configuration packed into initfs (//initfs:etc/init.conf) is valid.
  const char* path = getenv("INIT_CONF");
  ASSERT_NE(path, nullptr);
  FILE* f = fopen(path, "rb");
  ASSERT_NE(f, nullptr) << path;
  std::string text;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, f)) > 0;) text.append(buf, n);
  fclose(f);
  Config c;
  Parsed p = Parse(text, c);
  EXPECT_TRUE(p.ok) << ConfigErrorName(p.problem.error) << " at line " << p.problem.line;
  EXPECT_GT(c.count, 0u);
}

}  // namespace
}  // namespace hiillos::init
