#pragma once
// A protocol role's state machine, written down once: the word of each state (what its log, its trace
// states, its replies and describe() say) and the moves its protocol allows. A role changes state through
// one transition function that calls StateMachine::check first, so a move the protocol does not have stops
// the run with a message naming the role, the node, the moment and both states, in every build type.
// Recovery, which takes the state a durable log holds rather than moving to it, is the one exception; the
// roles name it restore().
#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "core/base/sim_time.h"

namespace distlab {

// The words of a role's states, in one table that both writes them (logs, trace states, replies) and
// reads them back.
template <class State, std::size_t N>
struct StateWords {
    std::array<std::pair<State, std::string_view>, N> words;

    constexpr std::string_view name(State state) const {
        for (const auto& [value, word] : words)
            if (value == state) return word;
        return "?";
    }
    constexpr std::optional<State> parse(std::string_view word) const {
        for (const auto& [value, text] : words)
            if (text == word) return value;
        return std::nullopt;
    }
};

template <class State>
struct StateMove {
    State from;
    State to;
};

// A move the table does not allow: a bug in the role, never an expected failure.
class IllegalTransition : public std::logic_error {
public:
    using std::logic_error::logic_error;
};

template <class State, std::size_t N, std::size_t M>
struct StateMachine {
    std::string_view role;  // "2PC participant"
    StateWords<State, N> words;
    std::array<StateMove<State>, M> moves;

    constexpr std::string_view name(State state) const { return words.name(state); }
    constexpr std::optional<State> parse(std::string_view word) const { return words.parse(word); }

    constexpr bool allows(State from, State to) const {
        return std::any_of(moves.begin(), moves.end(),
                           [&](const StateMove<State>& move) { return move.from == from && move.to == to; });
    }

    // Every state of a move has a word, and no word or move is listed twice: what each role's
    // static_assert holds its table to.
    constexpr bool wellFormed() const {
        for (std::size_t i = 0; i < N; ++i) {
            for (std::size_t j = i + 1; j < N; ++j) {
                if (words.words[i].first == words.words[j].first) return false;
                if (words.words[i].second == words.words[j].second) return false;
            }
        }
        for (std::size_t i = 0; i < M; ++i) {
            if (name(moves[i].from) == "?" || name(moves[i].to) == "?") return false;
            for (std::size_t j = i + 1; j < M; ++j)
                if (moves[i].from == moves[j].from && moves[i].to == moves[j].to) return false;
        }
        return true;
    }

    // Throws IllegalTransition, naming the role, the node, the moment, what moved (a transaction, say)
    // and both states, when the table has no such move.
    void check(State from, State to, std::string_view node, SimTime now, std::string_view subject = {}) const {
        if (allows(from, to)) return;
        std::string text = "illegal state change in " + std::string(role) + " " + std::string(node);
        if (!subject.empty()) text += " (" + std::string(subject) + ")";
        text += " at t=" + std::to_string(now) + "us: " + std::string(name(from)) + " -> " +
                std::string(name(to));
        throw IllegalTransition(text);
    }
};

// Builds a role's table from braced lists, so that the sizes are counted by the compiler:
//   constexpr auto kMachine = makeStateMachine<S>("role", {{S::A, "A"}, ...}, {{S::A, S::B}, ...});
template <class State, std::size_t N, std::size_t M>
constexpr StateMachine<State, N, M> makeStateMachine(std::string_view role,
                                                     const std::pair<State, std::string_view> (&words)[N],
                                                     const StateMove<State> (&moves)[M]) {
    StateMachine<State, N, M> machine{role, {}, {}};
    for (std::size_t i = 0; i < N; ++i) machine.words.words[i] = words[i];
    for (std::size_t i = 0; i < M; ++i) machine.moves[i] = moves[i];
    return machine;
}

// The same, for roles that share one enum and its words (the 3PC coordinator and participant).
template <class State, std::size_t N, std::size_t M>
constexpr StateMachine<State, N, M> makeStateMachine(std::string_view role, const StateWords<State, N>& words,
                                                     const StateMove<State> (&moves)[M]) {
    StateMachine<State, N, M> machine{role, words, {}};
    for (std::size_t i = 0; i < M; ++i) machine.moves[i] = moves[i];
    return machine;
}

}  // namespace distlab
