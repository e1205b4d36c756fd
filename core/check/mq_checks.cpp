// Invariant checkers for the message-queue lab: Jepsen's total-queue over the producers' and consumers'
// history (with RabbitMQ's rule that only persistent messages on durable queues survive a broker
// restart, and the broker's word on which messages it still holds), and the effect-once property of the
// ledger the consumers write to.
#include "core/check/mq_checks.h"

#include "core/check/check_support.h"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace distlab {

namespace {

using check::attachEvents;
using check::countText;
using check::examplesText;
using check::intField;
using check::kExamplesMax;
using check::noteTruncation;
constexpr std::size_t kNoOp = std::numeric_limits<std::size_t>::max();

// A bool field of an op's value; `fallback` when absent or of another type.
bool boolField(const Json& value, const char* key, bool fallback) {
    if (!value.is_object()) return fallback;
    auto it = value.find(key);
    return it != value.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

// One message id as the producer published it, with what became of it.
struct PublishedMessage {
    std::string producer;
    std::string queue;
    bool persistent = false;
    bool brokerless = false;
    bool noSubscribers = false;  // a brokerless push that found no subscriber
    std::vector<std::string> sentTo;   // brokerless pub-sub: the subscribers each owed a copy
    std::vector<std::string> missing;  // of those, the ones no copy reached
    std::size_t invoke = kNoOp;  // the first publish invoke of the id: its first send
    std::size_t ok = kNoOp;      // the first publish ok of the id: its confirm
};

// What became of a confirmed message that never came out of the queue.
enum class Undelivered {
    Lost,     // held against the broker (or the brokerless push)
    Excused,  // transient, and a broker crash the broker was allowed to lose it in
    Queued,   // the broker still holds it: no consumer took it yet
};

// Why a confirmed message that never came out of the queue is, or is not, held against the broker.
struct UndeliveredMessage {
    std::string id;
    Undelivered verdict = Undelivered::Lost;
    bool mustSurvive = false;        // persistent on a durable queue: the broker must keep it over a restart
    std::optional<SimTime> crashAt;  // the first broker crash at or after its publish invoke
};

// The history, read once for the summary and both checks. Every ordered collection is in history order
// or keyed by message id, so the verdicts never depend on hashing.
struct MqHistory {
    std::map<std::string, PublishedMessage> messages;
    std::vector<std::string> confirmOrder;                       // ids in the order of their first publish ok
    std::map<std::string, std::vector<std::size_t>> deliveries;  // id -> its deliver ops
    std::vector<std::string> deliveryOrder;                      // ids in the order of their first delivery
    std::map<std::string, std::vector<std::size_t>> drops;       // id -> its drop ops
    std::map<std::string, std::vector<std::size_t>> applied;     // id -> its effect ops with applied true
    // (id, scope) -> those of one copy: a fanout or pub-sub copy (another queue, another subscriber) is
    // other work, not a second application.
    std::map<std::pair<std::string, std::string>, std::vector<std::size_t>> appliedPerCopy;
    std::vector<std::string> appliedTwiceOrder;   // ids in the order their effect was applied a second time
    std::vector<std::size_t> acksWithoutEffect;   // ack ops no applied effect of their message preceded
    std::vector<UndeliveredMessage> undelivered;  // confirmed, never delivered; in confirm order
    std::vector<std::string> unexpected;          // delivered, never published; in first-delivery order
    std::uint64_t redelivered = 0;
    std::uint64_t acks = 0;
    std::uint64_t nacks = 0;
    std::uint64_t dropCount = 0;
    std::uint64_t deliverCount = 0;
    std::uint64_t skipped = 0;  // effect ops with applied false
    std::uint64_t duplicateDeliveries = 0;
};

void readPublish(MqHistory& history, std::map<std::pair<std::string, std::int64_t>, std::size_t>& invokes,
                 const std::vector<ClientOp>& ops, std::size_t i) {
    const ClientOp& op = ops[i];
    if (op.phase == OpPhase::Invoke) {
        // A restarted producer may number its ops from 1 again: the latest invoke is the one to pair.
        invokes[{op.process, op.opId}] = i;
        const std::string id = stringField(op.value, "message_id");
        if (id.empty() || history.messages.count(id) > 0) return;
        PublishedMessage& message = history.messages[id];
        message.producer = op.process;
        message.invoke = i;
        message.queue = stringField(op.value, "queue");
        message.persistent = boolField(op.value, "persistent", false);
        message.brokerless = stringField(op.value, "mode") == "brokerless";
        return;
    }
    auto invoke = invokes.find({op.process, op.opId});
    if (invoke == invokes.end()) return;  // a completion without its invoke: nothing to pair
    const std::size_t invokeIndex = invoke->second;
    invokes.erase(invoke);
    if (op.phase != OpPhase::Ok) return;
    std::string id = stringField(ops[invokeIndex].value, "message_id");
    if (id.empty()) id = stringField(op.value, "message_id");
    auto message = history.messages.find(id);
    if (message == history.messages.end() || message->second.ok != kNoOp) return;
    message->second.ok = i;
    // Only a brokerless push reports its subscribers; amqp confirms say nothing about consumers.
    const std::optional<std::int64_t> subscribers = intField(op.value, "subscribers");
    if (subscribers) message->second.brokerless = true;
    message->second.noSubscribers = subscribers && *subscribers == 0;
    if (auto sentTo = op.value.find("sent_to");
        op.value.is_object() && sentTo != op.value.end() && sentTo->is_array()) {
        message->second.brokerless = true;
        for (const Json& peer : *sentTo)
            if (peer.is_string()) message->second.sentTo.push_back(peer.get<std::string>());
    }
    history.confirmOrder.push_back(id);
}

// The broker's own word that it still holds a message settles it: not delivered yet is not lost. Else
// RabbitMQ keeps a message over a restart only when it is persistent and its queue is durable; any other
// message a crash after its first send may take with it. The crash is compared with the publish invoke,
// not with the confirm's arrival: the broker sends the confirm before it crashes, and the confirm may
// reach the producer after the crash. A brokerless push never was in a broker: nothing holds it, and no
// crash excuses it.
UndeliveredMessage judgeUndelivered(const std::string& id, const PublishedMessage& message, SimTime invokedAt,
                                    const MqCheckOptions& options, const std::vector<SimTime>& crashes) {
    UndeliveredMessage undelivered;
    undelivered.id = id;
    if (message.brokerless) return undelivered;
    if (options.stillQueued.count(id) > 0) {
        undelivered.verdict = Undelivered::Queued;
        return undelivered;
    }
    auto crash = std::lower_bound(crashes.begin(), crashes.end(), invokedAt);
    if (crash != crashes.end()) undelivered.crashAt = *crash;
    auto durable = options.durableQueues.find(message.queue);
    undelivered.mustSurvive = message.persistent && durable != options.durableQueues.end() && durable->second;
    // A lost message was never delivered, so any crash after its first send came before any delivery of it.
    if (!undelivered.mustSurvive && undelivered.crashAt) undelivered.verdict = Undelivered::Excused;
    return undelivered;
}

MqHistory readHistory(const std::vector<ClientOp>& ops, const MqCheckOptions& options) {
    MqHistory history;
    std::map<std::pair<std::string, std::int64_t>, std::size_t> invokes;  // (process, op id) -> publish
    for (std::size_t i = 0; i < ops.size(); ++i) {
        const ClientOp& op = ops[i];
        if (op.f == "publish") {
            readPublish(history, invokes, ops, i);
            continue;
        }
        // The consumers' and the ledger's records are single ok ops.
        if (op.phase != OpPhase::Ok) continue;
        const std::string id = stringField(op.value, "message_id");
        if (op.f == "deliver") {
            ++history.deliverCount;
            if (boolField(op.value, "redelivered", false)) ++history.redelivered;
            std::vector<std::size_t>& delivered = history.deliveries[id];
            if (delivered.empty()) history.deliveryOrder.push_back(id);
            delivered.push_back(i);
        } else if (op.f == "drop") {
            ++history.dropCount;
            history.drops[id].push_back(i);
        } else if (op.f == "ack") {
            ++history.acks;
            if (history.applied.count(id) == 0) history.acksWithoutEffect.push_back(i);
        } else if (op.f == "nack") {
            ++history.nacks;
        } else if (op.f == "effect") {
            // An effect op that does not say otherwise records an effect.
            if (!boolField(op.value, "applied", true)) {
                ++history.skipped;
                continue;
            }
            history.applied[id].push_back(i);
            std::vector<std::size_t>& copy = history.appliedPerCopy[{id, stringField(op.value, "scope")}];
            copy.push_back(i);
            if (copy.size() == 2 &&
                std::find(history.appliedTwiceOrder.begin(), history.appliedTwiceOrder.end(), id) ==
                    history.appliedTwiceOrder.end())
                history.appliedTwiceOrder.push_back(id);
        }
    }

    std::vector<SimTime> crashes = options.brokerCrashes;
    std::sort(crashes.begin(), crashes.end());
    for (const std::string& id : history.confirmOrder) {
        PublishedMessage& message = history.messages.at(id);
        auto delivered = history.deliveries.find(id);
        if (delivered != history.deliveries.end()) {
            // Pub-sub owes every subscriber its copy: one that none reached is a copy lost.
            for (const std::string& peer : message.sentTo) {
                const bool reached = std::any_of(delivered->second.begin(), delivered->second.end(),
                                                 [&](std::size_t op) { return ops[op].process == peer; });
                if (!reached) message.missing.push_back(peer);
            }
            if (message.missing.empty()) continue;
        }
        history.undelivered.push_back(
            judgeUndelivered(id, message, ops[message.invoke].time, options, crashes));
    }
    for (const std::string& id : history.deliveryOrder) {
        history.duplicateDeliveries += history.deliveries.at(id).size() - 1;
        if (history.messages.count(id) == 0) history.unexpected.push_back(id);
    }
    return history;
}

// The effect ops of the copies of `id` that were applied more than once, in history order.
std::vector<std::size_t> appliedTwiceOps(const MqHistory& history, const std::string& id) {
    std::vector<std::size_t> ops;
    for (auto it = history.appliedPerCopy.lower_bound({id, std::string()});
         it != history.appliedPerCopy.end() && it->first.first == id; ++it)
        if (it->second.size() > 1) ops.insert(ops.end(), it->second.begin(), it->second.end());
    std::sort(ops.begin(), ops.end());
    return ops;
}

void addOpEvents(std::set<std::uint64_t>& events, const std::vector<std::uint64_t>& opEvents,
                 const std::vector<std::size_t>& opIndices) {
    for (std::size_t op : opIndices) {
        if (op < opEvents.size() && opEvents[op] != kNoTraceEvent) events.insert(opEvents[op]);
    }
}

std::string queueText(const std::string& queue) {
    return queue.empty() ? std::string("its queue") : queue;
}

// "a" / "a and b" / "a, b and c".
std::string listText(const std::vector<std::string>& items) {
    std::string text;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) text += i + 1 == items.size() ? " and " : ", ";
        text += items[i];
    }
    return text;
}

// "m3, published to q1 by mq-prod and confirmed at 120.0 ms, was never delivered." and, when the history
// says why, the reason.
std::string lostText(const UndeliveredMessage& lost, const MqHistory& history,
                     const std::vector<ClientOp>& ops) {
    const PublishedMessage& message = history.messages.at(lost.id);
    const SimTime confirmedAt = ops[message.ok].time;
    if (message.brokerless) {
        std::string text = lost.id + ", pushed to " + queueText(message.queue) + " by " + message.producer +
                           " at " + formatMillis(confirmedAt) + " without a broker, was never delivered";
        auto drops = history.drops.find(lost.id);
        if (!message.missing.empty()) {
            text += " to " + listText(message.missing) +
                    ", though pub-sub owed every subscriber a copy (the subscriber was down or slow).";
        } else if (message.noSubscribers) {
            text += ": no consumer subscribed to " + queueText(message.queue) + ", so the push went nowhere.";
        } else if (drops != history.drops.end()) {
            const ClientOp& drop = ops[drops->second.front()];
            text += ": " + drop.process + " dropped it at " + formatMillis(drop.time) +
                    " because its inbox was full.";
        } else {
            text += ": the push never reached a consumer's inbox (lost on the way, or its consumer crashed).";
        }
        return text;
    }
    std::string text = lost.id + ", published to " + queueText(message.queue) + " by " + message.producer +
                       " and confirmed at " + formatMillis(confirmedAt) + ", was never delivered";
    if (lost.mustSurvive && lost.crashAt) {
        // Only a persistent message on a durable queue lands here with a crash: say why it still counts.
        text += ". The broker crashed at " + formatMillis(*lost.crashAt) +
                ", but the message was persistent on a durable queue, so the broker had to keep it.";
    } else {
        text += ".";
    }
    return text;
}

// "m4 was transient (published with persistent false) and the broker crashed at 300.0 ms, after its
// confirm at 120.0 ms and before any delivery of it." When the confirm reached the producer only after
// the crash, the crash is placed after the publish instead.
std::string excusedText(const UndeliveredMessage& excused, const MqHistory& history,
                        const std::vector<ClientOp>& ops) {
    const PublishedMessage& message = history.messages.at(excused.id);
    const std::string why = !message.persistent
                                ? std::string("was transient (published with persistent false)")
                                : "was on " + queueText(message.queue) + ", which is not durable,";
    const SimTime confirmedAt = ops[message.ok].time;
    const std::string after = *excused.crashAt >= confirmedAt
                                  ? "after its confirm at " + formatMillis(confirmedAt)
                                  : "after its publish at " + formatMillis(ops[message.invoke].time) +
                                        " (the broker had sent its confirm, which arrived at " +
                                        formatMillis(confirmedAt) + ")";
    return excused.id + " " + why + " and the broker crashed at " + formatMillis(*excused.crashAt) + ", " +
           after + " and before any delivery of it.";
}

// "m5, published to q1 by mq-prod and confirmed at 120.0 ms, is still held by the broker."
std::string queuedText(const UndeliveredMessage& queued, const MqHistory& history,
                       const std::vector<ClientOp>& ops) {
    const PublishedMessage& message = history.messages.at(queued.id);
    return queued.id + ", published to " + queueText(message.queue) + " by " + message.producer +
           " and confirmed at " + formatMillis(ops[message.ok].time) + ", is still held by the broker.";
}

// "m9 was delivered to w1 at 200.0 ms, but no producer ever published it."
std::string unexpectedText(const std::string& id, const MqHistory& history,
                           const std::vector<ClientOp>& ops) {
    const ClientOp& deliver = ops[history.deliveries.at(id).front()];
    return (id.empty() ? std::string("A message without an id") : id) + " was delivered to " +
           deliver.process + " at " + formatMillis(deliver.time) + ", but no producer ever published it.";
}

// "m3's effect was applied 2 times: by w1 at 120.0 ms and by w2 at 340.0 ms."
std::string appliedTwiceText(const std::string& id, const std::vector<std::size_t>& applied,
                             const std::vector<ClientOp>& ops) {
    std::vector<std::string> by;
    for (std::size_t op : applied) {
        std::string consumer = stringField(ops[op].value, "consumer");
        if (consumer.empty()) consumer = "an unnamed consumer";
        by.push_back("by " + consumer + " at " + formatMillis(ops[op].time));
    }
    return id + "'s effect was applied " + std::to_string(applied.size()) + " times: " + listText(by) + ".";
}

MqHistorySummary summarize(const MqHistory& history) {
    MqHistorySummary summary;
    summary.published = history.messages.size();
    summary.confirmed = history.confirmOrder.size();
    summary.delivered = history.deliverCount;
    summary.redelivered = history.redelivered;
    summary.acked = history.acks;
    summary.nacked = history.nacks;
    summary.dropped = history.dropCount;
    for (const auto& [id, applied] : history.applied) summary.effects += applied.size();
    summary.duplicateDeliveries = history.duplicateDeliveries;
    for (const UndeliveredMessage& undelivered : history.undelivered) {
        switch (undelivered.verdict) {
            case Undelivered::Lost:
                summary.lost.push_back(undelivered.id);
                break;
            case Undelivered::Excused:
                summary.lostExcused.push_back(undelivered.id);
                break;
            case Undelivered::Queued:
                summary.queued.push_back(undelivered.id);
                break;
        }
    }
    return summary;
}

}  // namespace

MqHistorySummary summarizeMqHistory(const Trace& trace, const MqCheckOptions& options) {
    const std::vector<ClientOp>& ops = trace.clientOps();
    const MqHistory history = readHistory(ops, options);
    MqHistorySummary summary = summarize(history);
    for (const std::string& id : history.appliedTwiceOrder) {
        std::vector<std::pair<std::string, SimTime>>& applied = summary.appliedTwice[id];
        for (std::size_t op : appliedTwiceOps(history, id))
            applied.emplace_back(stringField(ops[op].value, "consumer"), ops[op].time);
    }
    summary.unexpected = history.unexpected;
    for (std::size_t op : history.acksWithoutEffect)
        summary.ackedWithoutEffect.emplace_back(ops[op].process, stringField(ops[op].value, "message_id"));
    return summary;
}

CheckResult checkTotalQueue(const Trace& trace, const MqCheckOptions& options) {
    CheckResult result;
    result.name = "total-queue";

    const std::vector<ClientOp>& ops = trace.clientOps();
    const std::vector<std::uint64_t> opEvents = trace.clientOpEventIndices();
    const MqHistory history = readHistory(ops, options);
    const std::uint64_t confirmed = history.confirmOrder.size();

    std::vector<std::string> lostExamples;
    std::vector<std::string> excusedExamples;
    std::vector<std::string> queuedExamples;
    std::size_t lostCount = 0;
    std::size_t excusedCount = 0;
    std::size_t queuedCount = 0;
    bool lostBrokerless = false;
    bool lostMustSurvive = false;   // a lost message was persistent on a durable queue
    std::size_t lostTransient = 0;  // lost through the broker, transient, no crash after its publish
    std::set<std::uint64_t> events;
    for (const UndeliveredMessage& undelivered : history.undelivered) {
        if (undelivered.verdict == Undelivered::Queued) {
            ++queuedCount;
            if (queuedExamples.size() < kExamplesMax)
                queuedExamples.push_back(queuedText(undelivered, history, ops));
            continue;
        }
        if (undelivered.verdict == Undelivered::Excused) {
            ++excusedCount;
            if (excusedExamples.size() < kExamplesMax)
                excusedExamples.push_back(excusedText(undelivered, history, ops));
            continue;
        }
        ++lostCount;
        const PublishedMessage& message = history.messages.at(undelivered.id);
        if (message.brokerless)
            lostBrokerless = true;
        else if (undelivered.mustSurvive)
            lostMustSurvive = true;
        else
            ++lostTransient;
        if (lostExamples.size() < kExamplesMax) lostExamples.push_back(lostText(undelivered, history, ops));
        addOpEvents(events, opEvents, {message.ok});
    }
    std::vector<std::string> unexpectedExamples;
    for (const std::string& id : history.unexpected) {
        if (unexpectedExamples.size() < kExamplesMax)
            unexpectedExamples.push_back(unexpectedText(id, history, ops));
        addOpEvents(events, opEvents, history.deliveries.at(id));
    }
    attachEvents(result, events);

    std::string text;
    if (lostCount > 0) {
        text += std::to_string(lostCount) + " of the " + countText(confirmed, "confirmed message") +
                (lostCount == 1 ? " was" : " were") + " never delivered: the queue lost " +
                (lostCount == 1 ? "a message its producer had been told was on its way."
                                : "messages their producer had been told were on their way.") +
                examplesText(lostExamples, lostCount);
        if (lostMustSurvive) {
            text +=
                " A publisher confirm means the broker has taken responsibility for the message, so it must "
                "deliver it even if it crashes, as long as the message is persistent and its queue durable.";
        }
        if (lostTransient > 0) {
            text +=
                lostTransient == 1
                    ? " The broker lost a transient message without restarting after its publish, which "
                      "it may not do either: only a broker crash may take a message that is not persistent "
                      "or whose queue is not durable."
                    : " The broker lost transient messages without restarting after their publish, which "
                      "it may not do either: only a broker crash may take messages that are not "
                      "persistent or whose queue is not durable.";
        }
        if (lostBrokerless) {
            text +=
                " Brokerless mode delivers at most once: nothing stores a push that finds no consumer or a "
                "full inbox, and nothing sends it again.";
        }
    }
    if (!history.unexpected.empty()) {
        const std::size_t count = history.unexpected.size();
        text += (text.empty() ? "" : " ") + std::to_string(count) +
                (count == 1 ? " delivered message was" : " delivered messages were") +
                " never published: a queue must not make up messages." +
                examplesText(unexpectedExamples, count);
    }
    if (text.empty()) {
        const std::uint64_t delivered = confirmed - excusedCount - queuedCount;
        if (confirmed == 0) {
            text = "No message was confirmed, so none can have been lost";
        } else if (delivered == 0 && queuedCount > 0) {
            text = "No confirmed message was delivered yet";
        } else if (delivered == 0) {
            text = "No confirmed message was delivered, though none had to be";
        } else if (delivered < confirmed) {
            text = std::to_string(delivered) + " of the " + countText(confirmed, "confirmed message") +
                   (delivered == 1 ? " was" : " were") + " delivered at least once";
        } else if (confirmed == 1) {
            text = "The 1 confirmed message was delivered at least once";
        } else {
            text = "All " + countText(confirmed, "confirmed message") + " were delivered at least once";
        }
        text += ", and every delivered message had been published.";
        result.text = makeText(QT_TRANSLATE_NOOP("Core", "Confirmed messages: %1 (delivered: %2, still queued: %3, "
                                                         "lost in a broker crash that may take them: %4); every "
                                                         "delivered message had been published."),
                               confirmed, confirmed - excusedCount - queuedCount, queuedCount, excusedCount);
    } else {
        result.ok = false;
        result.text = lostCount > 0
                          ? makeText(QT_TRANSLATE_NOOP("Core", "%1 of %2 confirmed messages were never delivered: "
                                                               "the queue lost messages their producer had been "
                                                               "told were on their way."),
                                     lostCount, confirmed)
                          : makeText(QT_TRANSLATE_NOOP("Core", "Delivered messages that were never published: %1. "
                                                               "A queue must not make up messages."),
                                     history.unexpected.size());
    }
    if (queuedCount > 0) {
        text += " " + countText(queuedCount, "confirmed message is", "confirmed messages are") +
                " still waiting in " + (queuedCount == 1 ? "its queue and was" : "their queue and were") +
                " not delivered yet (no consumer took " + (queuedCount == 1 ? "it" : "them") +
                " before the check), so " + (queuedCount == 1 ? "it is" : "they are") + " not lost." +
                examplesText(queuedExamples, queuedCount);
    }
    if (excusedCount > 0) {
        // When the verdict passes with some delivered and none still queued, these are "the other" confirmed
        // messages of its first sentence.
        const bool other = result.ok && queuedCount == 0 && excusedCount < confirmed;
        text +=
            std::string(other ? " The other " : " ") + std::to_string(excusedCount) +
            (other ? "" : (excusedCount == 1 ? " confirmed message" : " confirmed messages")) +
            (excusedCount == 1 ? " was" : " were") +
            " lost in a broker crash, which is allowed: a broker keeps only persistent messages on durable "
            "queues over a restart." +
            examplesText(excusedExamples, excusedCount);
    }
    if (history.duplicateDeliveries > 0) {
        std::vector<std::string> duplicates;
        std::size_t duplicated = 0;  // message ids delivered more than once
        for (const std::string& id : history.deliveryOrder) {
            const std::size_t times = history.deliveries.at(id).size();
            if (times < 2) continue;
            ++duplicated;
            if (duplicates.size() < kExamplesMax)
                duplicates.push_back(id + " was delivered " + std::to_string(times) + " times.");
        }
        text +=
            " " +
            countText(history.duplicateDeliveries, "delivery was a duplicate", "deliveries were duplicates") +
            ", which at-least-once delivery allows (a consumer must then apply each message's effect once)." +
            examplesText(duplicates, duplicated);
    }
    const std::size_t unconfirmed = history.messages.size() - confirmed;
    if (unconfirmed > 0) {
        text +=
            " " + countText(unconfirmed, "published message was", "published messages were") +
            " not judged because " + (unconfirmed == 1 ? "its" : "their") +
            " publish never completed ok (no confirm, a failure, or still waiting): the producer was never "
            "told " +
            (unconfirmed == 1 ? "it was" : "they were") + " safe.";
    }
    result.explanation = text;
    noteTruncation(result, trace);
    return result;
}

CheckResult checkEffectOnce(const Trace& trace) {
    CheckResult result;
    result.name = "effect-once";

    const std::vector<ClientOp>& ops = trace.clientOps();
    const std::vector<std::uint64_t> opEvents = trace.clientOpEventIndices();
    const MqHistory history = readHistory(ops, MqCheckOptions{});

    std::set<std::uint64_t> events;
    std::vector<std::string> twiceExamples;
    for (const std::string& id : history.appliedTwiceOrder) {
        const std::vector<std::size_t> applied = appliedTwiceOps(history, id);
        if (twiceExamples.size() < kExamplesMax) twiceExamples.push_back(appliedTwiceText(id, applied, ops));
        addOpEvents(events, opEvents, applied);
        if (auto delivered = history.deliveries.find(id); delivered != history.deliveries.end())
            addOpEvents(events, opEvents, delivered->second);
    }
    std::vector<std::string> ackExamples;
    for (std::size_t op : history.acksWithoutEffect) {
        const std::string id = stringField(ops[op].value, "message_id");
        if (ackExamples.size() < kExamplesMax) {
            ackExamples.push_back(ops[op].process + " acked " + id + " at " + formatMillis(ops[op].time) +
                                  ", but the ledger had not applied its effect.");
        }
        addOpEvents(events, opEvents, {op});
        if (auto delivered = history.deliveries.find(id); delivered != history.deliveries.end())
            addOpEvents(events, opEvents, delivered->second);
    }
    attachEvents(result, events);

    std::string text;
    if (!history.appliedTwiceOrder.empty()) {
        const std::size_t count = history.appliedTwiceOrder.size();
        text +=
            countText(count, "message had its", "messages had their") + " effect applied more than once." +
            examplesText(twiceExamples, count) +
            " At-least-once delivery repeats work: the broker redelivers a message whose ack did not reach "
            "it (its consumer crashed, or the channel closed), and a consumer resends an apply whose answer "
            "was slow or lost. Only a consumer that deduplicates by message id (an idempotent consumer: the "
            "effect and the id are written together) makes the repetition change nothing.";
    }
    if (!history.acksWithoutEffect.empty()) {
        const std::size_t count = history.acksWithoutEffect.size();
        text += (text.empty() ? "" : " ") + countText(count, "ack", "acks") +
                (count == 1 ? " was" : " were") + " sent for a message whose effect had never been applied." +
                examplesText(ackExamples, count) +
                " The broker forgets an acked message, so its work is lost: a consumer acks only after the "
                "effect is written.";
    }
    if (text.empty()) {
        const std::size_t messages = history.applied.size();
        if (messages == 0) {
            text = "The ledger applied no effect yet";
        } else {
            text = std::string(messages == 1 ? "The effect of the 1 message" : "The effect of each of the ") +
                   (messages == 1 ? "" : countText(messages, "message")) + " the ledger saw was applied once";
        }
        if (history.skipped > 0) {
            text += " (" + countText(history.skipped, "repeated apply", "repeated applies") +
                    " skipped as already processed)";
        }
        if (history.acks == 0)
            text += ", and no consumer acked a message.";
        else if (history.acks == 1)
            text += ", and the 1 ack followed an applied effect of its message.";
        else
            text += ", and each of the " + countText(history.acks, "ack") +
                    " followed an applied effect of its message.";
        result.text = makeText(QT_TRANSLATE_NOOP("Core", "Each message's effect was applied once (messages: %1, "
                                                         "repeated applies skipped: %2), and every ack (%3) "
                                                         "followed its effect."),
                               history.applied.size(), history.skipped, history.acks);
    } else {
        result.ok = false;
        result.text = !history.appliedTwiceOrder.empty()
                          ? makeText(QT_TRANSLATE_NOOP("Core", "Messages whose effect was applied more than once: "
                                                               "%1. Only a consumer that deduplicates by message "
                                                               "id makes a redelivery change nothing."),
                                     history.appliedTwiceOrder.size())
                          : makeText(QT_TRANSLATE_NOOP("Core", "Acks sent for a message whose effect had never "
                                                               "been applied: %1. That work is lost."),
                                     history.acksWithoutEffect.size());
    }
    result.explanation = text;
    noteTruncation(result, trace);
    return result;
}

}  // namespace distlab
