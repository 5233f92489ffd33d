// kernel/ipc/endpoint_test.cc — each step of the IPC state machine, one scenario per test.
#include "kernel/ipc/endpoint.h"

#include <gtest/gtest.h>

namespace hiillos::ipc {
namespace {

using uapi::Status;

RegisterMessage Msg(uint64_t first) {
  RegisterMessage m;
  for (uint64_t i = 0; i < kRegisterWords; ++i) m.words[i] = first + i;
  return m;
}

class EndpointTest : public ::testing::Test {
 protected:
  void SetUp() override { ep.AddSender(); }
  Endpoint ep;
  Participant client, client2, server;
  ReplySlot slot, slot2;
};

TEST_F(EndpointTest, CallToWaitingReceiverSwitchesDirectly) {
  Step r = ep.Receive(server, slot);
  EXPECT_TRUE(r.block);
  EXPECT_EQ(server.state, IpcState::kReceiving);
  EXPECT_EQ(ep.queued_receivers(), 1u);

  Step c = ep.Call(client, 7, Msg(100));
  EXPECT_TRUE(c.block);
  EXPECT_EQ(c.wake, &server);
  EXPECT_EQ(server.state, IpcState::kIdle);
  EXPECT_EQ(server.wake_status, Status::kOk);
  EXPECT_EQ(server.message.words[0], 100u);
  EXPECT_EQ(server.message.words[kRegisterWords - 1], 100u + kRegisterWords - 1);
  EXPECT_EQ(server.badge, 7u);
  EXPECT_TRUE(server.reply_expected);
  EXPECT_EQ(client.state, IpcState::kAwaitingReply);
  EXPECT_EQ(slot.caller(), &client);
  EXPECT_EQ(ep.queued_receivers(), 0u);
}

TEST_F(EndpointTest, CallWithoutReceiverQueuesThenReceiveTakesItAtOnce) {
  Step c = ep.Call(client, 3, Msg(1));
  EXPECT_TRUE(c.block);
  EXPECT_EQ(c.wake, nullptr);
  EXPECT_EQ(client.state, IpcState::kCalling);
  EXPECT_EQ(ep.queued_callers(), 1u);

  Step r = ep.Receive(server, slot);
  EXPECT_FALSE(r.block);
  EXPECT_EQ(r.status, Status::kOk);
  EXPECT_EQ(server.message.words[0], 1u);
  EXPECT_EQ(server.badge, 3u);
  EXPECT_EQ(client.state, IpcState::kAwaitingReply);
  EXPECT_EQ(slot.caller(), &client);
  EXPECT_EQ(ep.queued_callers(), 0u);
}

TEST_F(EndpointTest, ReplyWakesTheCallerOnceAndEmptiesTheSlot) {
  (void)ep.Call(client, 0, Msg(1));
  (void)ep.Receive(server, slot);
  Step rep = Reply(slot, Msg(50));
  EXPECT_EQ(rep.status, Status::kOk);
  EXPECT_EQ(rep.wake, &client);
  EXPECT_EQ(client.state, IpcState::kIdle);
  EXPECT_EQ(client.wake_status, Status::kOk);
  EXPECT_EQ(client.message.words[0], 50u);
  EXPECT_FALSE(slot.bound());

  Step again = Reply(slot, Msg(60));
  EXPECT_EQ(again.status, Status::kBusy);
  EXPECT_EQ(again.wake, nullptr);
  EXPECT_EQ(client.message.words[0], 50u);
}

TEST_F(EndpointTest, CallersAreServedInOrderWithTheirOwnBadges) {
  (void)ep.Call(client, 1, Msg(10));
  (void)ep.Call(client2, 2, Msg(20));
  (void)ep.Receive(server, slot);
  EXPECT_EQ(server.badge, 1u);
  EXPECT_EQ(slot.caller(), &client);
  Step r = ReplyReceive(slot, Msg(11), ep, server);
  EXPECT_EQ(r.wake, &client);
  EXPECT_FALSE(r.block);
  EXPECT_EQ(server.badge, 2u);
  EXPECT_EQ(server.message.words[0], 20u);
  EXPECT_EQ(slot.caller(), &client2);
  EXPECT_EQ(client.message.words[0], 11u);
}

TEST_F(EndpointTest, ReplyReceiveBlocksAndSwitchesToTheRepliedCaller) {
  (void)ep.Call(client, 0, Msg(1));
  (void)ep.Receive(server, slot);
  Step r = ReplyReceive(slot, Msg(2), ep, server);
  EXPECT_TRUE(r.block);
  EXPECT_EQ(r.wake, &client);
  EXPECT_EQ(server.state, IpcState::kReceiving);
  EXPECT_EQ(client.state, IpcState::kIdle);
  EXPECT_EQ(client.message.words[0], 2u);
}

TEST_F(EndpointTest, SavedSlotAnswersLaterWhileServerReceivesIntoAnother) {
  (void)ep.Call(client, 0, Msg(1));
  (void)ep.Call(client2, 0, Msg(2));
  (void)ep.Receive(server, slot);
  (void)ep.Receive(server, slot2);
  EXPECT_EQ(slot.caller(), &client);
  EXPECT_EQ(slot2.caller(), &client2);
  EXPECT_EQ(Reply(slot2, Msg(22)).wake, &client2);
  EXPECT_EQ(Reply(slot, Msg(11)).wake, &client);
  EXPECT_EQ(client.message.words[0], 11u);
  EXPECT_EQ(client2.message.words[0], 22u);
}

TEST_F(EndpointTest, ReceiveIntoABoundSlotIsBusyAndChangesNothing) {
  (void)ep.Call(client, 0, Msg(1));
  (void)ep.Call(client2, 0, Msg(2));
  (void)ep.Receive(server, slot);
  Step r = ep.Receive(server, slot);
  EXPECT_EQ(r.status, Status::kBusy);
  EXPECT_FALSE(r.block);
  EXPECT_EQ(slot.caller(), &client);
  EXPECT_EQ(ep.queued_callers(), 1u);
  EXPECT_EQ(client2.state, IpcState::kCalling);
}

TEST_F(EndpointTest, SendNeedsAWaitingReceiverAndExpectsNoReply) {
  Step s = ep.Send(9, Msg(5));
  EXPECT_EQ(s.status, Status::kWouldBlock);
  EXPECT_EQ(s.wake, nullptr);

  (void)ep.Receive(server, slot);
  s = ep.Send(9, Msg(5));
  EXPECT_EQ(s.status, Status::kOk);
  EXPECT_FALSE(s.block);
  EXPECT_EQ(s.wake, &server);
  EXPECT_FALSE(server.reply_expected);
  EXPECT_EQ(server.badge, 9u);
  EXPECT_FALSE(slot.bound());
  EXPECT_EQ(Reply(slot, Msg(0)).status, Status::kBusy);
}

TEST_F(EndpointTest, ClosingTheReceiverStrandsEveryWaiterWithDead) {
  Endpoint other;
  other.AddSender();
  (void)ep.Call(client, 0, Msg(1));
  (void)ep.Call(client2, 0, Msg(2));
  ep.CloseReceiver();
  Participant* first = ep.TakeStranded();
  Participant* second = ep.TakeStranded();
  EXPECT_EQ(first, &client);
  EXPECT_EQ(second, &client2);
  EXPECT_EQ(ep.TakeStranded(), nullptr);
  for (Participant* p : {first, second}) {
    EXPECT_EQ(p->state, IpcState::kIdle);
    EXPECT_EQ(p->wake_status, Status::kDead);
    EXPECT_EQ(p->queue, nullptr);
  }
  EXPECT_EQ(ep.Call(client, 0, Msg(1)).status, Status::kDead);
  EXPECT_EQ(ep.Send(0, Msg(1)).status, Status::kDead);
  EXPECT_EQ(ep.Receive(server, slot).status, Status::kDead);
  EXPECT_EQ(client.state, IpcState::kIdle);
}

TEST_F(EndpointTest, ClosingWaitingReceiversThreadsToo) {
  (void)ep.Receive(server, slot);
  ep.CloseReceiver();
  EXPECT_EQ(ep.TakeStranded(), &server);
  EXPECT_EQ(server.wake_status, Status::kDead);
  EXPECT_EQ(ep.TakeStranded(), nullptr);
}

TEST_F(EndpointTest, LastSenderGoneStrandsReceiversButQueuedCallsStillArrive) {
  ep.AddSender();
  (void)ep.Call(client, 4, Msg(1));
  ep.DropSender();
  ep.DropSender();
  EXPECT_EQ(ep.sender_count(), 0u);
  EXPECT_EQ(ep.TakeStranded(), nullptr);  // the queued caller is not stranded
  Step r = ep.Receive(server, slot);
  EXPECT_EQ(r.status, Status::kOk);
  EXPECT_EQ(server.badge, 4u);
  (void)Reply(slot, Msg(0));
  EXPECT_EQ(ep.Receive(server, slot).status, Status::kDead);

  Endpoint fresh;  // no sender ever: a server may wait before handing one out
  fresh.AddSender();
  EXPECT_TRUE(fresh.Receive(server, slot).block);
  fresh.DropSender();
  EXPECT_EQ(fresh.TakeStranded(), &server);
  EXPECT_EQ(server.wake_status, Status::kDead);
}

TEST_F(EndpointTest, KillingAQueuedCallerRemovesItsMessage) {
  (void)ep.Call(client, 1, Msg(1));
  (void)ep.Call(client2, 2, Msg(2));
  ASSERT_EQ(client.endpoint, &ep);
  ep.Cancel(client);
  EXPECT_EQ(client.state, IpcState::kIdle);
  EXPECT_EQ(ep.queued_callers(), 1u);
  (void)ep.Receive(server, slot);
  EXPECT_EQ(server.badge, 2u);
}

TEST_F(EndpointTest, KillingAWaitingReceiverLeavesTheEndpointUsable) {
  (void)ep.Receive(server, slot);
  ep.Cancel(server);
  EXPECT_EQ(ep.queued_receivers(), 0u);
  EXPECT_EQ(ep.Send(0, Msg(1)).status, Status::kWouldBlock);
  EXPECT_TRUE(ep.Call(client, 0, Msg(1)).block);
  EXPECT_EQ(client.state, IpcState::kCalling);
}

TEST_F(EndpointTest, KilledCallerOrphansTheSlotAndTheReplyReportsDead) {
  (void)ep.Call(client, 0, Msg(1));
  (void)ep.Receive(server, slot);
  AbandonReply(client);
  EXPECT_EQ(client.state, IpcState::kIdle);
  EXPECT_TRUE(slot.orphaned());
  EXPECT_FALSE(slot.bound());
  Step r = Reply(slot, Msg(2));
  EXPECT_EQ(r.status, Status::kDead);
  EXPECT_EQ(r.wake, nullptr);
  EXPECT_FALSE(slot.orphaned());
  EXPECT_EQ(Reply(slot, Msg(2)).status, Status::kBusy);
}

TEST_F(EndpointTest, OrphanedSlotCanReceiveAgain) {
  (void)ep.Call(client, 0, Msg(1));
  (void)ep.Receive(server, slot);
  AbandonReply(client);
  (void)ep.Call(client2, 0, Msg(2));
  Step r = ReplyReceive(slot, Msg(0), ep, server);
  EXPECT_EQ(r.status, Status::kOk);
  EXPECT_EQ(r.wake, nullptr);
  EXPECT_EQ(slot.caller(), &client2);
}

TEST_F(EndpointTest, FailedReceiveLeavesAnOrphanedSlotAsItWas) {
  (void)ep.Call(client, 0, Msg(1));
  (void)ep.Receive(server, slot);
  AbandonReply(client);
  ep.DropSender();
  EXPECT_EQ(ep.Receive(server, slot).status, Status::kDead);
  EXPECT_TRUE(slot.orphaned());
  EXPECT_EQ(Reply(slot, Msg(2)).status, Status::kDead);
}

TEST_F(EndpointTest, DeletingABoundSlotWakesTheCallerWithDead) {
  (void)ep.Call(client, 0, Msg(1));
  (void)ep.Receive(server, slot);
  EXPECT_EQ(ReleaseSlot(slot), &client);
  EXPECT_EQ(client.state, IpcState::kIdle);
  EXPECT_EQ(client.wake_status, Status::kDead);
  EXPECT_EQ(ReleaseSlot(slot), nullptr);
}

}  // namespace
}  // namespace hiillos::ipc
