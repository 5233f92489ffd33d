// Host tests of typed IPC messages: the struct-to-words mapping and the dispatch table.
#include <gtest/gtest.h>

#include "services/lib/ipc/dispatcher.h"
#include "services/lib/ipc/message.h"

namespace hiillos::ipc {
namespace {

struct Small {
  uint64_t a, b;
};
struct Big {
  uint64_t head[5];
  char text[64];
  uint64_t tail;
};

TEST(Message, SmallPayloadStaysInRegisters) {
  Message m;
  Encode(7, Small{11, 22}, m);
  EXPECT_EQ(m.words[0], 7u);
  EXPECT_EQ(m.words[1], 11u);
  EXPECT_EQ(m.words[2], 22u);
  EXPECT_EQ(m.words[3], 0u);
  EXPECT_EQ(m.ext_count, 0u);
  Small out{};
  Decode(m, out);
  EXPECT_EQ(out.a, 11u);
  EXPECT_EQ(out.b, 22u);
}

TEST(Message, BigPayloadUsesExtendedWordsAndTrimsTrailingZeros) {
  Big big{};
  for (int i = 0; i < 5; ++i) big.head[i] = 100 + i;
  CopyString(big.text, sizeof(big.text), "hello", 5);
  Message m;
  Encode(1, big, m);
  EXPECT_EQ(m.words[5], 104u);
  EXPECT_EQ(m.ext_count, 1u);  // "hello" fits one word; the rest is zero
  big.tail = 9;
  Encode(1, big, m);
  EXPECT_EQ(m.ext_count, 9u);
  Big out{};
  Decode(m, out);
  EXPECT_EQ(0, __builtin_memcmp(&out, &big, sizeof(big)));
}

TEST(Message, WordsNotSentReadAsZero) {
  Message m;
  for (auto& w : m.ext) w = 0xdead;  // stale buffer contents beyond ext_count
  m.ext_count = 0;
  Big out;
  __builtin_memset(&out, 0xff, sizeof(out));
  Decode(m, out);
  EXPECT_EQ(out.tail, 0u);
  EXPECT_EQ(out.text[0], '\0');
}

TEST(Message, StringsAreBounded) {
  char text[4];
  EXPECT_EQ(CopyString(text, sizeof(text), "abcdef", 6), 3u);
  EXPECT_STREQ(text, "abc");
  const char unterminated[4] = {'w', 'x', 'y', 'z'};
  EXPECT_EQ(BoundedLength(unterminated, 4), 4u);
}

struct Echo {
  static constexpr uint64_t kCode = 5;
  struct Request {
    uint64_t value;
  };
  struct Reply {
    uint64_t value, badge;
  };
};
struct Fail {
  static constexpr uint64_t kCode = 6;
  struct Request {
    uint64_t status;
  };
  struct Reply {
    uint64_t unused;
  };
};
struct Later {
  static constexpr uint64_t kCode = 7;
  struct Request {
    uint64_t unused;
  };
  struct Reply {
    uint64_t unused;
  };
};

struct State {
  int calls = 0;
  uint32_t deferred = 0;
};

uint64_t HandleEcho(State& state, Request& request, const Echo::Request& in, Echo::Reply& out) {
  ++state.calls;
  out.value = in.value + 1;
  out.badge = request.badge;
  request.AttachCap(MoveCap(44));
  if (request.cap_count > 0) request.caps[0].handle = 0;  // claimed
  return kOk;
}
uint64_t HandleFail(State&, Request& request, const Fail::Request& in, Fail::Reply& out) {
  out.unused = 99;
  request.AttachCap(MoveCap(45));
  return in.status;
}
uint64_t HandleLater(State& state, Request& request, const Later::Request&, Later::Reply&) {
  state.deferred = request.Defer();
  return kOk;
}

Message CallOf(uint64_t op, uint64_t word, uint64_t badge) {
  Message m;
  m.words[0] = op;
  m.words[1] = word;
  m.badge = badge;
  m.reply_expected = true;
  return m;
}

TEST(Dispatcher, RoutesByOperationCode) {
  Dispatcher<State> d;
  EXPECT_TRUE((d.On<Echo, &HandleEcho>()));
  EXPECT_FALSE((d.On<Echo, &HandleEcho>()));  // a code is routed once
  EXPECT_TRUE((d.On<Fail, &HandleFail>()));
  State state;
  Message in = CallOf(Echo::kCode, 41, 0xbadbad);
  in.caps[0] = MoveCap(12);
  in.cap_count = 1;
  Request request;
  Dispatcher<State>::FillRequest(in, 3, request);
  Message out;
  EXPECT_EQ(d.Dispatch(state, in, request, out), Outcome::kReply);
  EXPECT_EQ(state.calls, 1);
  EXPECT_EQ(out.words[0], kOk);
  Echo::Reply reply;
  Decode(out, reply);
  EXPECT_EQ(reply.value, 42u);
  EXPECT_EQ(reply.badge, 0xbadbadu);
  ASSERT_EQ(out.cap_count, 1u);
  EXPECT_EQ(out.caps[0].handle, 44u);
  EXPECT_EQ(request.caps[0].handle, 0u);  // claimed by the handler
}

TEST(Dispatcher, ErrorsCarryOnlyTheStatus) {
  Dispatcher<State> d;
  ASSERT_TRUE((d.On<Fail, &HandleFail>()));
  State state;
  Message in = CallOf(Fail::kCode, 9, 0);
  Request request;
  Dispatcher<State>::FillRequest(in, 3, request);
  Message out;
  EXPECT_EQ(d.Dispatch(state, in, request, out), Outcome::kReply);
  EXPECT_EQ(out.words[0], 9u);
  EXPECT_EQ(out.words[1], 0u);
  EXPECT_EQ(out.cap_count, 0u);
}

TEST(Dispatcher, UnknownOperation) {
  Dispatcher<State> d;
  State state;
  Message in = CallOf(1234, 0, 0);
  in.caps[0] = MoveCap(12);
  in.cap_count = 1;
  Request request;
  Dispatcher<State>::FillRequest(in, 3, request);
  Message out;
  EXPECT_EQ(d.Dispatch(state, in, request, out), Outcome::kReply);
  EXPECT_EQ(out.words[0], kUnknownOperation);
  EXPECT_EQ(request.caps[0].handle, 12u);  // left for the loop to delete
}

TEST(Dispatcher, DeferAndSend) {
  Dispatcher<State> d;
  ASSERT_TRUE((d.On<Later, &HandleLater>()));
  ASSERT_TRUE((d.On<Echo, &HandleEcho>()));
  State state;
  Message in = CallOf(Later::kCode, 0, 0);
  Request request;
  Dispatcher<State>::FillRequest(in, 17, request);
  Message out;
  EXPECT_EQ(d.Dispatch(state, in, request, out), Outcome::kDeferred);
  EXPECT_EQ(state.deferred, 17u);
  Message send = CallOf(Echo::kCode, 1, 0);
  send.reply_expected = false;
  Dispatcher<State>::FillRequest(send, 17, request);
  EXPECT_EQ(request.reply, 0u);
  EXPECT_EQ(d.Dispatch(state, send, request, out), Outcome::kNoReply);
}

}  // namespace
}  // namespace hiillos::ipc
