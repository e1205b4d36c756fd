#pragma once
// Invariant checkers for the message-queue lab, Jepsen-style over the recorded history: Jepsen's
// total-queue (every message the broker confirmed comes out of the queue at least once, and nothing comes
// out that nobody put in) and the effect-once property of the consumers' ledger (an at-least-once queue
// redelivers, so only consumers that deduplicate by message id apply each message's effect once).
//
// Both read the history of trace.clientOps() as the queue's nodes record it:
//   publish invoke {queue, message_id, persistent, mode}       the producer sends a message the first time
//           ok     {queue, message_id[, subscribers]}          its first confirm (amqp) or the push
//           (brokerless) fail / unknown {message_id, error}                 refused, or no confirm after
//           every republish
//   deliver ok {queue, message_id[, delivery_tag, redelivered]} a consumer accepted a delivery or a push
//   drop    ok {queue, message_id, reason}                     a brokerless consumer's inbox was full
//   ack     ok {queue, message_id, delivery_tag}               a consumer acked a delivery
//   nack    ok {queue, message_id, delivery_tag, requeue}      a consumer's processing failed
//   effect  ok {message_id, consumer, applied, count}          the ledger applied (or skipped) an effect
// A publish invoke and its completion are paired by (process, op id); deliver, drop, ack, nack and effect
// are single ok records. Ops of other names are ignored, so the checkers can run over a history shared
// with other labs. They need only the history, so they hold at any moment of a run.
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/check/check_result.h"
#include "core/history/trace.h"

namespace distlab {

// What the history alone cannot tell: which queues the broker keeps on disk, when it crashed (the
// broker's crash / restart events belong to the session that injected them), and which messages it still
// holds at the moment of the check (a consumer may simply not have taken them yet).
struct MqCheckOptions {
    std::map<std::string, bool>
        durableQueues;                   // queue name (as the publish names it) -> durable; absent: not
    std::vector<SimTime> brokerCrashes;  // any order
    // Message ids the broker holds now: ready in a queue, delivered but not acked, or on its disk while
    // it is down. The caller reads them from the broker; ids of brokerless pushes are ignored.
    std::set<std::string> stillQueued;
};

// The history counted for the lab's views, with the verdicts' sets computed as the checks compute them.
struct MqHistorySummary {
    std::uint64_t published = 0;            // distinct message ids with a publish invoke
    std::uint64_t confirmed = 0;            // distinct message ids whose publish completed ok
    std::uint64_t delivered = 0;            // deliver ops (every delivery, first or not)
    std::uint64_t redelivered = 0;          // deliver ops flagged redelivered by the broker
    std::uint64_t acked = 0;                // ack ops
    std::uint64_t nacked = 0;               // nack ops
    std::uint64_t dropped = 0;              // drop ops (brokerless inbox full)
    std::uint64_t effects = 0;              // effect ops with applied true
    std::uint64_t duplicateDeliveries = 0;  // deliveries beyond the first of their message id
    // Confirmed but never delivered, in the order of their confirms: lost without / with the excuse that
    // the broker was allowed to lose them, and not lost because the broker still holds them (see
    // checkTotalQueue). Each such id is in exactly one of the three.
    std::vector<std::string> lost;
    std::vector<std::string> lostExcused;
    std::vector<std::string> queued;
    // Message id -> (consumer, time of the ledger's effect op) of every applied effect, for the messages
    // whose effect was applied more than once.
    std::map<std::string, std::vector<std::pair<std::string, SimTime>>> appliedTwice;
    // Delivered but never published, in the order of their first delivery.
    std::vector<std::string> unexpected;
    // (consumer, message id) of each ack no applied effect of that message preceded, in history order.
    std::vector<std::pair<std::string, std::string>> ackedWithoutEffect;
};

MqHistorySummary summarizeMqHistory(const Trace& trace, const MqCheckOptions& options);

// "total-queue" (Jepsen's total-queue): every confirmed message (a publish that completed ok: the broker's
// confirm, or a brokerless push) is delivered at least once, by a deliver op with its id anywhere in the
// history. A confirmed message that was never delivered is judged in this order:
//   - still queued: the broker holds it now (its id is in options.stillQueued, and it went through the
//     broker). It is not lost, only not taken by a consumer yet; it is named and does not fail the check.
//   - excused: published through the broker, transient (persistent false, or its queue not durable in the
//     options), and a broker crash at or after its publish invoke (the first send). The crash is compared
//     with the invoke, not with the confirm's arrival: the broker sends the confirm before it crashes,
//     but the confirm may reach the producer after the crash. A lost message was never delivered, so such
//     a crash came before any delivery of it. Reported apart; does not fail the check.
//   - lost: anything else, including every persistent message on a durable queue, crash or not.
// Every delivered id must have been published (a publish invoke). Deliveries beyond the first of an id
// are counted and named, not blamed: the queue promises at-least-once. events: the publish ok of each
// lost message and every deliver of each unexpected one.
CheckResult checkTotalQueue(const Trace& trace, const MqCheckOptions& options);

// "effect-once": no message's effect is applied more than once (ledger effect ops with applied true, per
// message id; applied false is a duplicate the ledger skipped), and no consumer acks a message before any
// applied effect of it (the broker would forget a message whose work was never done). events: the
// effect ops and deliveries of each message applied twice; the ack and the deliveries of each ack without
// an effect.
CheckResult checkEffectOnce(const Trace& trace);

}  // namespace distlab
