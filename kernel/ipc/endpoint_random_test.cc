// kernel/ipc/endpoint_random_test.cc — random sequences of IPC steps (calls, sends, receives,
// replies, kills, slot deletions, closes) on two endpoints, checking after every step that each
// participant's state matches where it is queued or bound, that only sleeping participants are
// woken and no sleeper is forgotten, and that every reply reaches the caller it answers.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <vector>

#include "kernel/ipc/endpoint.h"

namespace hiillos::ipc {
namespace {

using uapi::Status;

constexpr int kClients = 5;
constexpr int kServers = 3;
constexpr int kSlotsPerServer = 2;
constexpr int kEndpoints = 2;

struct Actor {
  Participant p;
  bool asleep = false;
  uint64_t outstanding_call = 0;        // clients: the id of the call awaiting its reply
  ReplySlot* receiving_into = nullptr;  // servers: the slot named in the last receive
};

class World {
 public:
  explicit World(uint32_t seed) : rng_(seed) {
    for (auto& ep : endpoints_) ep.AddSender();
  }

  void RandomStep() {
    switch (Pick(9)) {
      case 0:
      case 1: {  // a client calls
        Actor& c = clients_[Pick(kClients)];
        if (c.asleep) return;
        const uint64_t id = ++next_id_;
        RegisterMessage m;
        m.words[0] = id;
        Endpoint& ep = endpoints_[Pick(kEndpoints)];
        Apply(c, ep.Call(c.p, id * 3, m));
        if (c.asleep) c.outstanding_call = id;
        return;
      }
      case 2: {  // a client sends
        RegisterMessage m;
        m.words[0] = 0;  // no reply expected
        Apply(nullptr, endpoints_[Pick(kEndpoints)].Send(1, m));
        return;
      }
      case 3:
      case 4: {  // a server receives (or replies and receives)
        const int s = Pick(kServers);
        Actor& a = servers_[s];
        if (a.asleep) return;
        ReplySlot& slot = slots_[s][Pick(kSlotsPerServer)];
        Endpoint& ep = endpoints_[Pick(kEndpoints)];
        a.receiving_into = &slot;
        const Step step =
            Pick(2) == 0 ? ep.Receive(a.p, slot) : ReplyReceive(slot, Answer(slot), ep, a.p);
        if (!step.block && step.status == Status::kOk) Received(a);
        Apply(a, step);
        return;
      }
      case 5: {  // a server replies through one of its slots
        const int s = Pick(kServers);
        if (servers_[s].asleep) return;
        ReplySlot& slot = slots_[s][Pick(kSlotsPerServer)];
        Apply(servers_[s], Reply(slot, Answer(slot)));
        return;
      }
      case 6: {  // a thread is killed
        Actor& a = Pick(2) == 0 ? clients_[Pick(kClients)] : servers_[Pick(kServers)];
        if (a.p.state == IpcState::kAwaitingReply) {
          AbandonReply(a.p);
        } else if (a.p.endpoint != nullptr) {
          a.p.endpoint->Cancel(a.p);
        }
        a.asleep = false;  // a killed thread never runs again; reuse the actor as a new one
        a.p = Participant{};
        a.outstanding_call = 0;
        a.receiving_into = nullptr;
        return;
      }
      case 7: {  // a reply capability is deleted
        const int s = Pick(kServers);
        Wake(ReleaseSlot(slots_[s][Pick(kSlotsPerServer)]), Status::kDead);
        return;
      }
      case 8: {  // rarely, an end closes and its stranded waiters are woken
        if (Pick(20) != 0) return;
        Endpoint& ep = endpoints_[Pick(kEndpoints)];
        if (Pick(2) == 0) {
          ep.CloseReceiver();
        } else {
          ep.DropSender();
        }
        while (Participant* p = ep.TakeStranded()) Wake(p, Status::kDead);
        return;
      }
    }
  }

  void CheckInvariants() {
    for (Actor* a : All()) {
      const Participant& p = a->p;
      switch (p.state) {
        case IpcState::kIdle:
          EXPECT_FALSE(a->asleep) << "a sleeping participant was forgotten";
          EXPECT_EQ(p.queue, nullptr);
          break;
        case IpcState::kCalling:
        case IpcState::kReceiving:
          EXPECT_TRUE(a->asleep);
          ASSERT_NE(p.queue, nullptr);
          ASSERT_NE(p.endpoint, nullptr);
          break;
        case IpcState::kAwaitingReply:
          EXPECT_TRUE(a->asleep);
          EXPECT_EQ(p.queue, nullptr);
          ASSERT_NE(p.reply, nullptr);
          EXPECT_EQ(p.reply->caller(), &p);
          break;
      }
    }
    for (auto& row : slots_) {
      for (ReplySlot& slot : row) {
        if (slot.bound()) {
          EXPECT_EQ(slot.caller()->state, IpcState::kAwaitingReply);
          EXPECT_EQ(slot.caller()->reply, &slot);
          EXPECT_FALSE(slot.orphaned());
        }
      }
    }
    uint64_t queued = 0;
    for (Endpoint& ep : endpoints_) {
      queued += ep.queued_callers() + ep.queued_receivers();
      EXPECT_TRUE(ep.queued_callers() == 0 || ep.queued_receivers() == 0)
          << "a caller and a receiver wait on the same endpoint";
    }
    uint64_t in_queue_state = 0;
    for (Actor* a : All()) {
      in_queue_state +=
          a->p.state == IpcState::kCalling || a->p.state == IpcState::kReceiving ? 1 : 0;
    }
    EXPECT_EQ(queued, in_queue_state);
  }

  uint64_t replies_checked() const { return replies_checked_; }

 private:
  int Pick(int n) { return static_cast<int>(rng_() % static_cast<uint32_t>(n)); }

  // The server echoes the call id it took through a slot, so the caller can check that the
  // reply is its own.
  RegisterMessage Answer(const ReplySlot& slot) {
    RegisterMessage m;
    if (slot.caller() != nullptr) m.words[0] = taken_[&slot];
    return m;
  }

  // A server's receive returned a message: remember what a call took through its slot.
  void Received(Actor& server) {
    if (server.p.reply_expected) taken_[server.receiving_into] = server.p.message.words[0];
  }

  void Apply(Actor& self, const Step& step) { Apply(&self, step); }
  void Apply(Actor* self, const Step& step) {
    if (self != nullptr && step.block) self->asleep = true;
    if (step.wake != nullptr) Wake(step.wake, step.wake->wake_status);
  }

  void Wake(Participant* p, Status expected) {
    if (p == nullptr) return;
    Actor* a = Owner(p);
    ASSERT_NE(a, nullptr);
    EXPECT_TRUE(a->asleep) << "woke a participant that was not asleep";
    EXPECT_EQ(p->state, IpcState::kIdle);
    EXPECT_EQ(p->wake_status, expected);
    a->asleep = false;
    if (a->receiving_into != nullptr && p->wake_status == Status::kOk) Received(*a);
    if (a->outstanding_call != 0) {
      if (p->wake_status == Status::kOk) {
        EXPECT_EQ(p->message.words[0], a->outstanding_call) << "reply reached the wrong caller";
        ++replies_checked_;
      }
      a->outstanding_call = 0;
    }
  }

  Actor* Owner(Participant* p) {
    for (Actor* a : All()) {
      if (&a->p == p) return a;
    }
    return nullptr;
  }

  std::vector<Actor*> All() {
    std::vector<Actor*> all;
    for (Actor& a : clients_) all.push_back(&a);
    for (Actor& a : servers_) all.push_back(&a);
    return all;
  }

  std::mt19937 rng_;
  Endpoint endpoints_[kEndpoints];
  Actor clients_[kClients];
  Actor servers_[kServers];
  ReplySlot slots_[kServers][kSlotsPerServer];
  std::map<const ReplySlot*, uint64_t> taken_;
  uint64_t next_id_ = 0;
  uint64_t replies_checked_ = 0;
};

TEST(EndpointRandomTest, InvariantsHoldOverRandomStepSequences) {
  uint64_t replies = 0;
  for (uint32_t seed = 1; seed <= 200; ++seed) {
    World world(seed);
    for (int i = 0; i < 2000; ++i) {
      world.RandomStep();
      world.CheckInvariants();
      if (::testing::Test::HasFailure()) FAIL() << "seed " << seed << " step " << i;
    }
    replies += world.replies_checked();
  }
  EXPECT_GT(replies, 1000u) << "the random walk should deliver many replies";
}

}  // namespace
}  // namespace hiillos::ipc
