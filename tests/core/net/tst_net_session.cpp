// NetSession with a driver that records what it is asked: the labs' messages leave as admin_send from ctl, a
// partition becomes each node's filter, events from several streams merge into one trace in order (a delivery
// that overtakes its send, a remote clock), a kill drops what was on its way, a restart counts once the
// process attaches again, and frames a node sends that are not what they should be change nothing.
#include <QTest>

#include <limits>

#include "core/session/net_session.h"

using namespace distlab;

namespace {

struct FakeDriver final : NetDriver {
    SimTime clock = 1'000'000'000;  // the machine's monotonic clock, µs
    std::vector<std::pair<NodeId, Body>> sent;
    std::vector<NodeId> killed;
    std::vector<NodeId> started;
    bool failKill = false;

    void sendToNode(const NodeId& id, Body body) override { sent.emplace_back(id, std::move(body)); }
    Status killProcess(const NodeId& id) override {
        if (failKill) return makeError("no such process");
        killed.push_back(id);
        return Ok{};
    }
    Status startProcess(const NodeId& id) override {
        started.push_back(id);
        return Ok{};
    }
    SimTime clockMicros() const override { return clock; }
    std::vector<NodeId> joining, stopped, forgotten;
    std::vector<std::pair<NodeId, std::string>> remotes;
    Status startJoiningProcess(const NodeId& id) override {
        joining.push_back(id);
        return Ok{};
    }
    Status attachRemote(const NodeId& id, const std::string& address) override {
        remotes.emplace_back(id, address);
        return Ok{};
    }
    Status stopProcess(const NodeId& id) override {
        stopped.push_back(id);
        return Ok{};
    }
    void forget(const NodeId& id) override { forgotten.push_back(id); }

    std::vector<Body> sentTo(const NodeId& id, const std::string& type) const {
        std::vector<Body> out;
        for (const auto& [to, body] : sent)
            if (to == id && body.type == type) out.push_back(body);
        return out;
    }
};

Scenario ringScenario() {
    auto scenario = loadScenario("ring-growth");  // n1..n3, c1, c2 and ctl
    if (!scenario) qFatal("%s", scenario.error().message.c_str());
    return std::move(scenario).value();
}

Envelope obs(const NodeId& node, Json fields) {
    return Envelope{node, "gui", Body{"obs_event", 0, std::nullopt, std::move(fields)}};
}

Json message(const NodeId& src, const NodeId& dest, std::int64_t msgId, const std::string& type = "ping") {
    return envelopeToJson(Envelope{src, dest, Body{type, msgId, std::nullopt, Json::object()}});
}

std::vector<TraceKind> kinds(const Trace& trace, std::size_t from = 0) {
    std::vector<TraceKind> out;
    for (std::size_t i = from; i < trace.size(); ++i) out.push_back(trace.events()[i].kind);
    return out;
}

void attachAll(NetSession& session) {
    for (const NodeId& id : session.nodes()) session.onAttached(id, true);
}

}  // namespace

class TestNetSession : public QObject {
    Q_OBJECT
private slots:
    void labsSpeakThroughTheControlNode() {
        FakeDriver driver;
        NetSession session(ringScenario(), driver);
        QVERIFY(session.start());
        const std::vector<NodeId> expected{"ctl", "n1", "n2", "n3", "c1", "c2"};
        QVERIFY(session.nodes() == expected);
        // The ring lab announces the ring to every node at time 0: each goes to ctl as an admin_send.
        const auto sends = driver.sentTo("ctl", "admin_send");
        QVERIFY(sends.size() >= 5);
        std::set<std::string> dests;
        for (const Body& body : sends) {
            dests.insert(body.fields.at("dest").get<std::string>());
            QVERIFY(bodyFromJson(body.fields.at("body")));  // a body the node can read back
        }
        for (const char* id : {"n1", "n2", "n3", "c1", "c2"}) QVERIFY2(dests.count(id), id);
        // Nobody is up before their observer connection opens.
        QVERIFY(!session.reachable("n1"));
        QCOMPARE(session.snapshot().nodes.size(), std::size_t(6));
        QCOMPARE(session.snapshot().nodes[1].status, NodeStatus::Crashed);
        attachAll(session);
        QCOMPARE(session.snapshot().nodes[1].status, NodeStatus::Up);
        QCOMPARE(session.snapshot().nodes[0].role, NodeRole::Control);
        QCOMPARE(session.snapshot().nodes[1].role, NodeRole::Server);
        QVERIFY(session.snapshot().nodes[1].onRing);
    }

    void streamsMergeInOrder() {
        FakeDriver driver;
        NetSession session(ringScenario(), driver);
        QVERIFY(session.start());
        attachAll(session);
        const std::size_t from = session.trace().size();
        driver.clock += 5'000;
        // n2's delivery arrives before n1's report of the send (two connections): the send is traced first.
        session.onFrame("n2", obs(session.nodes()[2], Json{{"kind", "deliver"}, {"time", driver.clock - 100}, {"message", message("n1", "n2", 77)}}));
        session.onFrame("n1", obs("n1", Json{{"kind", "send"}, {"time", driver.clock - 300}, {"message", message("n1", "n2", 77)}}));
        QVERIFY(kinds(session.trace(), from) == (std::vector<TraceKind>{TraceKind::Send, TraceKind::Deliver}));
        const TraceEvent& send = session.trace().events()[from];
        const TraceEvent& deliver = session.trace().events()[from + 1];
        QCOMPARE(send.ref, deliver.ref);
        QCOMPARE(session.trace().name(send.node), std::string("n1"));
        QCOMPARE(session.trace().name(deliver.node), std::string("n2"));
        QCOMPARE(session.trace().message(send.ref).envelope.body.type, std::string("ping"));
        // Times never go back, whatever the streams say.
        session.onFrame("n3", obs("n3", Json{{"kind", "state"}, {"time", driver.clock - 4'000}, {"text", "epoch 1"}}));
        SimTime last = 0;
        for (std::size_t i = 0; i < session.trace().size(); ++i) {
            QVERIFY(session.trace().events()[i].time >= last);
            last = session.trace().events()[i].time;
        }
        // The same message from another node's id is another message (ids are per sender).
        session.onFrame("n3", obs("n3", Json{{"kind", "send"}, {"time", driver.clock}, {"message", message("n3", "n1", 77)}}));
        QCOMPARE(session.trace().messageCount(), std::size_t(2));
        // A client operation lands in the history with the session's time.
        session.onFrame("c1", obs("c1", Json{{"kind", "client"}, {"time", driver.clock},
                                            {"op", Json{{"time", driver.clock}, {"process", "c1"}, {"op_id", 3}, {"phase", "invoke"}, {"f", "put"}, {"value", Json::object()}}}}));
        QCOMPARE(session.trace().clientOps().size(), std::size_t(1));
        QCOMPARE(session.trace().clientOps()[0].process, std::string("c1"));
        QVERIFY(session.trace().clientOps()[0].time <= session.now());
    }

    void remoteClockIsShifted() {
        FakeDriver driver;
        NetSession session(ringScenario(), driver);
        QVERIFY(session.start());
        session.onAttached("n1", /*sameClock=*/false);
        driver.clock += 10'000;
        session.pollStatus();
        QCOMPARE(driver.sentTo("n1", "admin_status").size(), std::size_t(1));
        session.pollStatus();  // one question at a time
        QCOMPARE(driver.sentTo("n1", "admin_status").size(), std::size_t(1));
        // n1's clock is 7 s behind ours; the answer takes 2 ms in all.
        const SimTime asked = driver.clock;
        driver.clock += 2'000;
        session.onFrame("n1", Envelope{"n1", "gui", Body{"admin_status_ok", 0, std::nullopt,
                                                         Json{{"now", asked + 1'000 - 7'000'000}, {"observe", Json{{"epoch", 4}}}}}});
        QVERIFY(session.snapshot().nodes[1].details.back() == (std::pair<std::string, std::string>{"epoch", "4"}));
        driver.clock += 1'000;
        const std::size_t from = session.trace().size();
        // An event n1 stamps 500 µs ago on its own clock is placed 500 µs ago on ours.
        session.onFrame("n1", obs("n1", Json{{"kind", "state"}, {"time", driver.clock - 500 - 7'000'000}, {"text", "x"}}));
        QCOMPARE(session.trace().size(), from + 1);
        QCOMPARE(session.trace().events()[from].time, session.now() - 500);
    }

    void killDropsWhatWasOnItsWay() {
        FakeDriver driver;
        NetSession session(ringScenario(), driver);
        QVERIFY(session.start());
        attachAll(session);
        session.onFrame("n1", obs("n1", Json{{"kind", "send"}, {"time", driver.clock}, {"message", message("n1", "n2", 5)}}));
        session.onFrame("n1", obs("n1", Json{{"kind", "send"}, {"time", driver.clock}, {"message", message("n1", "n3", 6)}}));
        auto killed = session.execute("node kill n2");
        QVERIFY(killed);
        QVERIFY(driver.killed == std::vector<NodeId>{"n2"});
        QCOMPARE(session.snapshot().nodes[2].status, NodeStatus::Crashed);
        QVERIFY(!session.snapshot().nodes[2].onRing);
        std::size_t drops = 0;
        for (std::size_t i = 0; i < session.trace().size(); ++i) {
            const TraceEvent& e = session.trace().events()[i];
            if (e.kind != TraceKind::Drop) continue;
            ++drops;
            QCOMPARE(session.trace().name(e.peer), std::string("n2"));
            QCOMPARE(session.trace().name(e.text), std::string("receiver crashed"));
        }
        QCOMPARE(drops, std::size_t(1));  // n1 -> n3 is still on its way
        // A second kill, ctl, and unknown nodes are refused; a failed kill changes nothing.
        QVERIFY(!session.execute("node kill n2"));
        QVERIFY(!session.execute("node kill ctl"));
        QVERIFY(!session.execute("node kill n9"));
        driver.failKill = true;
        QVERIFY(!session.execute("node kill n3"));
        QVERIFY(session.reachable("n3"));
        driver.failKill = false;
        // Restart: the process is started; it is up, and traced as restarted, once it attaches.
        QVERIFY(!session.execute("node restart n3"));  // running
        QVERIFY(session.execute("node restart n2"));
        QVERIFY(driver.started == std::vector<NodeId>{"n2"});
        QVERIFY(!session.reachable("n2"));
        const std::size_t announcements = driver.sentTo("ctl", "admin_send").size();
        session.onAttached("n2", true);
        QVERIFY(session.reachable("n2"));
        QVERIFY(session.snapshot().nodes[2].onRing);
        QCOMPARE(session.trace().events()[session.trace().size() - 1].kind, TraceKind::Restart);
        QVERIFY(driver.sentTo("ctl", "admin_send").size() > announcements);  // the new ring, sent after it listens
    }

    void lostConnectionIsUnreachable() {
        FakeDriver driver;
        NetSession session(ringScenario(), driver);
        QVERIFY(session.start());
        attachAll(session);
        session.onDetached("n3", "connection reset");
        QVERIFY(!session.reachable("n3"));
        const ClusterSnapshot snap = session.snapshot();
        const NodeView& n3 = snap.nodes[3];
        QCOMPARE(n3.status, NodeStatus::Crashed);
        QVERIFY(std::find(n3.details.begin(), n3.details.end(), std::pair<std::string, std::string>{"unreachable", "connection reset"}) !=
                n3.details.end());
        const auto notices = session.takeNotices();
        QCOMPARE(notices.size(), std::size_t(2));
        QCOMPARE(notices[0].str(), std::string("n3 is unreachable: connection reset"));
        QVERIFY2(notices[1].str().find("kill n3") != std::string::npos, notices[1].str().c_str());  // the ring follows
        QVERIFY(session.takeNotices().empty());
        session.onAttached("n3", true);
        QVERIFY(session.reachable("n3"));
        QCOMPARE(session.takeNotices().size(), std::size_t(1));
    }

    void partitionIsTheNodesFilters() {
        FakeDriver driver;
        NetSession session(ringScenario(), driver);
        QVERIFY(session.start());
        attachAll(session);
        QVERIFY(session.execute("partition n1,c1 | n2,n3"));
        const auto filter = driver.sentTo("n1", "admin_partition");
        QCOMPARE(filter.size(), std::size_t(1));
        QVERIFY(filter[0].fields.at("peers") == (Json{"n2", "n3"}));
        QVERIFY(driver.sentTo("n3", "admin_partition")[0].fields.at("peers") == (Json{"n1", "c1"}));
        QVERIFY(driver.sentTo("c2", "admin_partition").empty());  // in no group: talks to everyone
        QCOMPARE(session.snapshot().partitions.groups.size(), std::size_t(2));
        QVERIFY(session.execute("heal"));
        QCOMPARE(driver.sentTo("n2", "admin_heal").size(), std::size_t(2));  // before the partition, and now
        QVERIFY(session.snapshot().partitions.groups.empty());
        QVERIFY(!session.execute("partition n1 | n9"));
    }

    void simulatorCommandsAreRefused() {
        FakeDriver driver;
        NetSession session(ringScenario(), driver);
        QVERIFY(session.start());
        for (const char* line : {"seed 4", "step", "node pause n1 100", "node add", "node add n1", "node remove ctl", "net drop 0.5"}) {
            auto done = session.execute(line);
            QVERIFY2(!done, line);
        }
        QVERIFY(!session.execute("no such command"));
        auto status = session.execute("status");
        QVERIFY(status);
        QVERIFY(status.value().text.find("n1 starting") != std::string::npos);
        // A lab's own command goes to the lab, and through ctl to the cluster.
        attachAll(session);
        const std::size_t before = driver.sentTo("ctl", "admin_send").size();
        auto put = session.execute("put k1 v1");
        QVERIFY2(put, put ? "" : put.error().message.c_str());
        QCOMPARE(driver.sentTo("ctl", "admin_send").size(), before + 1);
    }

    void joinsAndLeaves() {
        FakeDriver driver;
        NetSession session(ringScenario(), driver);
        QVERIFY(session.start());
        attachAll(session);
        // node add: a process that joins through ctl; the labs add it once it has joined and is observed.
        QVERIFY(session.execute("node add n9"));
        QVERIFY(driver.joining == std::vector<NodeId>{"n9"});
        QCOMPARE(session.snapshot().nodes.size(), std::size_t(6));  // not the labs' yet
        session.onAttached("n9", true);
        QCOMPARE(session.snapshot().nodes.size(), std::size_t(6));
        const std::size_t announcements = driver.sentTo("ctl", "admin_send").size();
        session.onFrame("ctl", obs("ctl", Json{{"kind", "join"}, {"time", driver.clock}, {"id", "n9"}, {"address", "127.0.0.1:7009"}}));
        QCOMPARE(session.snapshot().nodes.size(), std::size_t(7));
        QVERIFY(session.snapshot().nodes.back().onRing);
        // Everyone but ctl (which taught it) learned the address, before ctl announced the new ring.
        QCOMPARE(driver.sentTo("n1", "admin_peer").size(), std::size_t(1));
        QVERIFY(driver.sentTo("n1", "admin_peer")[0].fields.at("address") == "127.0.0.1:7009");
        QVERIFY(driver.sentTo("ctl", "admin_peer").empty());
        QVERIFY(driver.sentTo("ctl", "admin_send").size() > announcements);
        // A node elsewhere joins by address: observed there, added once attached.
        session.onFrame("ctl", obs("ctl", Json{{"kind", "join"}, {"time", driver.clock}, {"id", "s1"}, {"address", "10.0.0.7:7200"}}));
        QCOMPARE(driver.remotes.size(), std::size_t(1));
        QCOMPARE(driver.remotes[0].second, std::string("10.0.0.7:7200"));
        QCOMPARE(session.snapshot().nodes.size(), std::size_t(7));
        session.onAttached("s1", false);
        QCOMPARE(session.snapshot().nodes.size(), std::size_t(8));
        // It leaves: removed, forgotten, and nobody keeps its address.
        session.onFrame("ctl", obs("ctl", Json{{"kind", "leave"}, {"time", driver.clock}, {"id", "s1"}}));
        QCOMPARE(session.snapshot().nodes.back().status, NodeStatus::Removed);
        QVERIFY(!session.snapshot().nodes.back().onRing);
        QVERIFY(driver.forgotten == std::vector<NodeId>{"s1"});
        QVERIFY(driver.sentTo("n1", "admin_peer").back().fields.at("address").is_null());
        // A join with a bad id, or of a node that left, changes nothing.
        session.onFrame("ctl", obs("ctl", Json{{"kind", "join"}, {"id", "bad id!"}, {"address", "1.2.3.4:5"}}));
        session.onFrame("ctl", obs("ctl", Json{{"kind", "join"}, {"id", "s1"}, {"address", "1.2.3.4:5"}}));
        QCOMPARE(driver.remotes.size(), std::size_t(1));
        QCOMPARE(session.snapshot().nodes.size(), std::size_t(8));
        // node remove: off the ring, and its process asked to stop.
        QVERIFY(session.execute("node remove n9"));
        QVERIFY(driver.stopped == std::vector<NodeId>{"n9"});
        QCOMPARE(session.snapshot().nodes[6].status, NodeStatus::Removed);
        QVERIFY(!session.execute("node remove n9"));
    }

    void silenceIsFailure() {
        FakeDriver driver;
        NetSession session(ringScenario(), driver);
        QVERIFY(session.start());
        attachAll(session);
        session.pollStatus();
        // Everyone answers but n2.
        driver.clock += 100'000;
        for (const NodeId& id : session.nodes())
            if (id != "n2") session.onFrame(id, Envelope{id, "gui", Body{"admin_status_ok", 0, std::nullopt, Json{{"now", driver.clock}}}});
        driver.clock += NetSession::kSuspectAfter - 100'000;  // just kSuspectAfter since it was asked
        session.pollStatus();
        QVERIFY(session.reachable("n2"));
        driver.clock += 1;
        session.pollStatus();
        QVERIFY(!session.reachable("n2"));
        QVERIFY(session.reachable("n1"));
        QVERIFY(!session.snapshot().nodes[2].onRing);  // the ring hands its ranges on
        QVERIFY(session.snapshot().nodes[2].unreachable);
        // Its late answer brings it back.
        session.onFrame("n2", Envelope{"n2", "gui", Body{"admin_status_ok", 0, std::nullopt, Json{{"now", driver.clock}}}});
        QVERIFY(session.reachable("n2"));
        QVERIFY(session.snapshot().nodes[2].onRing);
    }

    void labsHearOfAFailureOnce() {
        FakeDriver driver;
        NetSession session(ringScenario(), driver);
        QVERIFY(session.start());
        attachAll(session);
        // Lost behind the window's back, then killed, then restarted: back on the ring.
        session.onDetached("n3", "connection reset");
        QVERIFY(!session.snapshot().nodes[3].onRing);
        QVERIFY(session.execute("node kill n3"));
        QVERIFY(session.execute("node restart n3"));
        session.onAttached("n3", true);
        QVERIFY(session.snapshot().nodes[3].onRing);
        // A process that ends before it was ever observed is failed, and can be restarted.
        FakeDriver driver2;
        NetSession fresh(ringScenario(), driver2);
        QVERIFY(fresh.start());
        fresh.onDetached("n2", "exited with code 1");
        QVERIFY(fresh.snapshot().nodes[2].unreachable);
        QVERIFY(fresh.execute("node restart n2"));
        fresh.onAttached("n2", true);
        QVERIFY(fresh.reachable("n2"));
        QVERIFY(fresh.snapshot().nodes[2].onRing);
    }

    void joinsAreChecked() {
        FakeDriver driver;
        NetSession session(ringScenario(), driver);
        QVERIFY(session.start());
        attachAll(session);
        session.onFrame("ctl", obs("ctl", Json{{"kind", "join"}, {"id", "n2"}, {"address", "10.9.9.9:1"}}));
        // n2 is up where it was: the claim is refused and nobody is told the new address.
        QVERIFY(driver.sentTo("n1", "admin_peer").empty() || driver.sentTo("n1", "admin_peer").back().fields.at("address") != "10.9.9.9:1");
        QVERIFY(driver.remotes.empty());
        // A stream of a node that is not up does not speak for joins; ctl never leaves.
        session.onDetached("n1", "gone");
        session.onFrame("n1", obs("n1", Json{{"kind", "join"}, {"id", "s5"}, {"address", "10.0.0.5:1"}}));
        QVERIFY(driver.remotes.empty());
        session.onFrame("n3", obs("n3", Json{{"kind", "leave"}, {"id", "ctl"}}));
        QCOMPARE(session.snapshot().nodes[0].status, NodeStatus::Up);
        // A node that never joined can be removed.
        QVERIFY(session.execute("node add n9"));
        QVERIFY(session.execute("node remove n9"));
        QVERIFY(driver.stopped == std::vector<NodeId>{"n9"});
        QCOMPARE(session.snapshot().nodes.size(), std::size_t(6));
    }

    void extremeTimesAreHarmless() {
        FakeDriver driver;
        NetSession session(ringScenario(), driver);
        QVERIFY(session.start());
        session.onAttached("n1", false);
        session.pollStatus();
        session.onFrame("n1", Envelope{"n1", "gui", Body{"admin_status_ok", 0, std::nullopt,
                                                         Json{{"now", std::numeric_limits<std::int64_t>::min()}}}});
        for (const Json& time : {Json(std::numeric_limits<std::int64_t>::min()), Json(std::numeric_limits<std::int64_t>::max()),
                                 Json(std::numeric_limits<std::uint64_t>::max())})
            session.onFrame("n1", obs("n1", Json{{"kind", "state"}, {"time", time}, {"text", "x"}}));
        SimTime last = 0;
        for (std::size_t i = 0; i < session.trace().size(); ++i) {
            QVERIFY(session.trace().events()[i].time >= last);
            QVERIFY(session.trace().events()[i].time <= session.now());
            last = session.trace().events()[i].time;
        }
    }

    void badFramesChangeNothing() {
        FakeDriver driver;
        NetSession session(ringScenario(), driver);
        QVERIFY(session.start());
        attachAll(session);
        const std::size_t events = session.trace().size();
        const std::vector<Json> bad{
            Json::object(),
            Json{{"kind", 5}},
            Json{{"kind", "send"}},
            Json{{"kind", "send"}, {"message", "x"}},
            Json{{"kind", "send"}, {"message", Json{{"src", 1}}}},
            Json{{"kind", "deliver"}, {"message", Json::array()}},
            Json{{"kind", "client"}, {"op", "not an op"}},
            Json{{"kind", "client"}, {"op", Json{{"f", 3}}}},
            Json{{"kind", "what"}, {"time", "soon"}},
            Json{{"kind", "cut"}, {"peers", 7}},
            Json{{"kind", "state"}, {"time", -5}, {"lost", "many"}},
        };
        for (const Json& fields : bad) session.onFrame("n1", obs("n1", fields));
        // A state with a bad time or text is still a state: placed now, the text empty.
        QCOMPARE(session.trace().size(), events + 1);
        QCOMPARE(session.trace().events()[events].kind, TraceKind::State);
        session.onFrame("n1", Envelope{"n1", "gui", Body{"admin_status_ok", 0, std::nullopt, Json{{"now", "x"}}}});
        session.onFrame("nobody", obs("nobody", Json{{"kind", "state"}, {"text", "x"}}));
        session.onFrame("n1", Envelope{"n1", "gui", Body{"error", 0, std::nullopt, Json{{"code", 10}, {"text", "no"}}}});
        QCOMPARE(session.takeNotices().size(), std::size_t(1));
        QCOMPARE(session.trace().size(), events + 1);
    }
};

QTEST_GUILESS_MAIN(TestNetSession)
#include "tst_net_session.moc"
