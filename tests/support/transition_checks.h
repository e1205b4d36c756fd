#pragma once
// Checks of a role's state machine (core/node/state_machine.h) that the protocol tests share. QVERIFY /
// QCOMPARE inside them record the failure and return from the helper; the calling test then fails too.
#include <QTest>

#include <initializer_list>
#include <string>
#include <vector>

#include "core/base/sim_time.h"
#include "core/node/state_machine.h"

namespace transitions {

// Every step of a path the protocol takes is a move the table allows.
template <class Machine, class State>
void checkPath(const Machine& machine, std::initializer_list<State> path) {
    const std::vector<State> states(path);
    for (std::size_t i = 1; i < states.size(); ++i) {
        const std::string move =
            std::string(machine.name(states[i - 1])) + " -> " + std::string(machine.name(states[i]));
        QVERIFY2(machine.allows(states[i - 1], states[i]), (std::string(machine.role) + ": " + move).c_str());
        machine.check(states[i - 1], states[i], "n1", distlab::millis(5));  // does not throw
    }
}

// The table refuses the move, and check() throws IllegalTransition with a message that names the role,
// the node, what moved, the moment and both states.
template <class Machine, class State>
void checkRejected(const Machine& machine, State from, State to) {
    const std::string move = std::string(machine.name(from)) + " -> " + std::string(machine.name(to));
    QVERIFY2(!machine.allows(from, to), (std::string(machine.role) + " allows " + move).c_str());
    try {
        machine.check(from, to, "tx-n1", distlab::millis(7), "t9");
        QFAIL(("no exception for " + move).c_str());
    } catch (const distlab::IllegalTransition& error) {
        const std::string text = error.what();
        for (const std::string& part : {std::string(machine.role), std::string("tx-n1"), std::string("t9"),
                                        std::string("t=7000us"), move})
            QVERIFY2(text.find(part) != std::string::npos, (text + " lacks " + part).c_str());
    }
}

// No move leaves a final state.
template <class Machine, class State>
void checkFinal(const Machine& machine, State state) {
    for (const auto& [to, word] : machine.words.words)
        QVERIFY2(!machine.allows(state, to), (std::string(machine.role) + ": " + std::string(machine.name(state)) +
                                              " -> " + std::string(word))
                                                 .c_str());
}

// Each state's word reads back as that state, and no other word does.
template <class Machine>
void checkWords(const Machine& machine) {
    QVERIFY(machine.wellFormed());
    for (const auto& [state, word] : machine.words.words) {
        QVERIFY(!word.empty());
        QVERIFY(machine.parse(word) == state);
    }
    QVERIFY(!machine.parse("NOT-A-STATE").has_value());
}

}  // namespace transitions
