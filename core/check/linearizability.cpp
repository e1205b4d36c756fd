#include "core/check/linearizability.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>
#include <utility>

namespace distlab::lin {

namespace {

enum class Kind { Incr, ReadNumber, ReadValue, Write, Cas, Append };

// A model's state: a counter's number, or a register's or key's value (a register's as its JSON, a kv key's
// as the string itself).
struct State {
    bool present = false;
    std::int64_t number = 0;
    std::string text;
};

std::uint64_t mix(std::uint64_t x) {  // splitmix64's finaliser
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

std::uint64_t hashState(const State& s) {
    std::uint64_t h = 1469598103934665603ull;  // FNV-1a over the text
    for (unsigned char c : s.text) h = (h ^ c) * 1099511628211ull;
    return mix(h ^ mix(std::uint64_t(s.number)) ^ (s.present ? 0x5bd1e995ull : 0));
}

// An operation ready for the search.
struct Prepared {
    std::size_t op = 0;  // index into the caller's operations
    Kind kind = Kind::Incr;
    bool unknown = false;
    std::int64_t delta = 0;  // incr
    std::string a, b;        // write/put/append: a; cas: from a to b
    bool outPresent = false;  // read/get results
    std::int64_t outNumber = 0;
    std::string outText;
    std::size_t call = 0;
    std::size_t ret = 0;  // unknown: ignored (it may take effect until the end)
};

bool isRead(Kind kind) { return kind == Kind::ReadNumber || kind == Kind::ReadValue; }

bool step(const State& s, const Prepared& p, State& next) {
    switch (p.kind) {
        case Kind::Incr:
            next = s;
            return !__builtin_add_overflow(s.number, p.delta, &next.number);
        case Kind::ReadNumber:
            if (s.number != p.outNumber) return false;
            next = s;
            return true;
        case Kind::ReadValue:
            if (p.outPresent != s.present || (p.outPresent && p.outText != s.text)) return false;
            next = s;
            return true;
        case Kind::Write:
            next.present = true;
            next.number = 0;
            next.text = p.a;
            return true;
        case Kind::Cas:
            if (!s.present || s.text != p.a) return false;
            next.present = true;
            next.number = 0;
            next.text = p.b;
            return true;
        case Kind::Append:
            next.present = true;
            next.number = 0;
            next.text = (s.present ? s.text : std::string()) + p.a;
            return true;
    }
    return false;
}

std::string describeValue(const Json& value) {
    std::string text = value.dump();
    if (text.size() > 40) text = text.substr(0, 37) + "...";
    return text;
}

// What the model makes of one operation: nothing (a fail, or an unknown read, which constrains nothing), or
// the prepared operation; an operation it does not know is an error.
Result<std::optional<Prepared>> prepare(const Operation& op, std::size_t index, Model model) {
    const auto bad = [&op](const std::string& what) {
        return makeError("line " + std::to_string(op.line) + ": " + what);
    };
    if (op.outcome == Outcome::Fail) return std::optional<Prepared>();
    Prepared p;
    p.op = index;
    p.unknown = op.outcome == Outcome::Unknown;
    p.call = op.call;
    p.ret = op.ret;
    // Values compare as JSON numbers do: 1.0 is 1 (a whole float is written as an integer).
    const auto valueOf = [](const Json& v) {
        if (v.is_number_float()) {
            const double d = v.get<double>();
            if (d == double(std::int64_t(d)) && d >= -9.2e18 && d <= 9.2e18) return Json(std::int64_t(d)).dump();
        }
        return v.dump();
    };
    switch (model) {
        case Model::Counter:
            if (op.f == "incr" || op.f == "add") {
                if (!op.input.is_number_integer())
                    return bad(op.f + " needs an integer delta as its value, got " + describeValue(op.input));
                if (op.input.is_number_unsigned() && op.input.get<std::uint64_t>() > std::uint64_t(INT64_MAX))
                    return bad("the delta is too large");
                p.kind = Kind::Incr;
                p.delta = op.input.get<std::int64_t>();
            } else if (op.f == "read") {
                if (p.unknown) return std::optional<Prepared>();
                if (!op.output.is_number_integer() ||
                    (op.output.is_number_unsigned() && op.output.get<std::uint64_t>() > std::uint64_t(INT64_MAX)))
                    return bad("a counter's read returns an integer, got " + describeValue(op.output));
                p.kind = Kind::ReadNumber;
                p.outNumber = op.output.get<std::int64_t>();
            } else {
                return bad("the counter model knows incr (or add) and read, not \"" + op.f + "\"");
            }
            break;
        case Model::Register:
        case Model::CasRegister:
            if (op.f == "write") {
                if (op.input.is_null()) return bad("write needs a value");
                p.kind = Kind::Write;
                p.a = valueOf(op.input);
            } else if (op.f == "read") {
                if (p.unknown) return std::optional<Prepared>();
                p.kind = Kind::ReadValue;
                p.outPresent = !op.output.is_null();
                if (p.outPresent) p.outText = valueOf(op.output);
            } else if (op.f == "cas" && model == Model::CasRegister) {
                if (!op.input.is_array() || op.input.size() != 2 || op.input[0].is_null() || op.input[1].is_null())
                    return bad("cas needs [from, to] as its value, got " + describeValue(op.input));
                p.kind = Kind::Cas;
                p.a = valueOf(op.input[0]);
                p.b = valueOf(op.input[1]);
            } else {
                return bad(std::string("the ") + std::string(modelName(model)) + " model knows " +
                           (model == Model::CasRegister ? "read, write and cas" : "read and write") + ", not \"" +
                           op.f + "\"");
            }
            break;
        case Model::Kv:
            if (op.f == "put" || op.f == "append") {
                if (!op.input.is_string()) return bad(op.f + " needs a string value, got " + describeValue(op.input));
                p.kind = op.f == "put" ? Kind::Write : Kind::Append;
                p.a = op.input.get<std::string>();
            } else if (op.f == "get") {
                if (p.unknown) return std::optional<Prepared>();
                if (!op.output.is_null() && !op.output.is_string())
                    return bad("get returns a string or null, got " + describeValue(op.output));
                p.kind = Kind::ReadValue;
                p.outPresent = op.output.is_string();
                if (p.outPresent) p.outText = op.output.get<std::string>();
            } else {
                return bad("the kv model knows get, put and append, not \"" + op.f + "\"");
            }
            break;
    }
    return std::optional<Prepared>(std::move(p));
}

// The operations as they stand in a history cut at `cut` (positions at or past it have not happened yet): an
// operation invoked later is left out, and one that completes later becomes unknown (a read then says nothing).
std::vector<Prepared> cutAt(const std::vector<Prepared>& ops, std::size_t cut) {
    std::vector<Prepared> out;
    for (const Prepared& p : ops) {
        if (p.call >= cut) continue;
        if (!p.unknown && p.ret >= cut) {
            if (isRead(p.kind)) continue;
            Prepared unknown = p;
            unknown.unknown = true;
            out.push_back(std::move(unknown));
            continue;
        }
        out.push_back(p);
    }
    return out;
}

struct CacheKey {
    std::uint64_t a, b;
    bool operator==(const CacheKey&) const = default;
};
struct CacheKeyHash {
    std::size_t operator()(const CacheKey& k) const { return std::size_t(k.a ^ mix(k.b)); }
};

class Budget {
public:
    Budget(std::uint64_t steps, std::optional<std::chrono::steady_clock::time_point> deadline)
        : m_left(steps), m_deadline(deadline) {}
    bool take() {
        if (m_left == 0) return false;
        --m_left;
        ++m_used;
        if (m_deadline && (m_used & 0x3FF) == 0 && std::chrono::steady_clock::now() >= *m_deadline) {
            m_left = 0;
            return false;
        }
        return true;
    }
    std::uint64_t used() const { return m_used; }
    std::uint64_t left() const { return m_left; }

private:
    std::uint64_t m_left;
    std::uint64_t m_used = 0;
    std::optional<std::chrono::steady_clock::time_point> m_deadline;
};

// Wing & Gong's search with Lowe's cache over one key's operations.
// Which unknown operations anything could have seen: what they write was returned by a read or get (for
// kv, a value containing it, since appends follow), or compared by a cas that completed, or by an unknown cas
// that is itself seen (the closure). One that nothing could have seen can be left out of any linearization
// that places it (the state it makes is written over before anyone looks), so the search never tries it.
// Increments are left to the search.
std::vector<char> observableUnknowns(const std::vector<Prepared>& ops, bool strings) {
    std::set<std::string> compared;  // values a cas that completed, or a seen unknown cas, compares with
    std::vector<const std::string*> returned;
    for (const Prepared& p : ops) {
        if (p.unknown) continue;
        if (p.kind == Kind::ReadValue && p.outPresent) returned.push_back(&p.outText);
        if (p.kind == Kind::Cas) compared.insert(p.a);
    }
    const auto seen = [&](const std::string& written) {
        if (compared.count(written)) return true;
        for (const std::string* value : returned)
            if (strings ? value->find(written) != std::string::npos : *value == written) return true;
        return false;
    };
    std::vector<char> out(ops.size(), 0);
    for (bool grew = true; grew;) {
        grew = false;
        for (std::size_t i = 0; i < ops.size(); ++i) {
            const Prepared& p = ops[i];
            if (!p.unknown || out[i]) continue;
            if (p.kind == Kind::Incr || seen(p.kind == Kind::Cas ? p.b : p.a)) {
                out[i] = 1;
                if (p.kind == Kind::Cas && compared.insert(p.a).second) grew = true;
            }
        }
    }
    return out;
}

Verdict search(const std::vector<Prepared>& ops, Budget& budget, Model model) {
    // The completed operations go on Wing & Gong's list of calls and returns, in history order. The unknown
    // ones stay off it, in order of invocation: none of them has to be placed, so the search tries them only
    // when no completed operation can go next, and only those invoked before the first open completion.
    struct Entry {
        int op;
        bool call;
        std::size_t position;
    };
    std::vector<Entry> entries;
    std::vector<int> unknownOps;
    const std::vector<char> observable = observableUnknowns(ops, model == Model::Kv);
    for (int i = 0; i < int(ops.size()); ++i) {
        const Prepared& p = ops[std::size_t(i)];
        if (p.unknown) {
            if (observable[std::size_t(i)]) unknownOps.push_back(i);
            continue;
        }
        entries.push_back({i, true, p.call});
        entries.push_back({i, false, p.ret});
    }
    if (entries.empty()) return Verdict::Linearizable;
    std::stable_sort(entries.begin(), entries.end(), [](const Entry& x, const Entry& y) {
        return std::tie(x.position, x.op) < std::tie(y.position, y.op);
    });
    std::stable_sort(unknownOps.begin(), unknownOps.end(),
                     [&ops](int x, int y) { return ops[std::size_t(x)].call < ops[std::size_t(y)].call; });
    const int count = int(entries.size());
    const int head = count;  // a doubly linked list over the entries; index `count` is its head
    std::vector<int> prev(entries.size() + 1, -1), next(entries.size() + 1, -1), returnOf(ops.size(), -1);
    for (int i = 0; i < count; ++i)
        if (!entries[std::size_t(i)].call) returnOf[std::size_t(entries[std::size_t(i)].op)] = i;
    int last = head;
    for (int i = 0; i < count; ++i) {
        next[std::size_t(last)] = i;
        prev[std::size_t(i)] = last;
        last = i;
    }
    const auto unlink = [&](int e) {
        next[std::size_t(prev[std::size_t(e)])] = next[std::size_t(e)];
        if (next[std::size_t(e)] >= 0) prev[std::size_t(next[std::size_t(e)])] = prev[std::size_t(e)];
    };
    const auto relink = [&](int e) {
        next[std::size_t(prev[std::size_t(e)])] = e;
        if (next[std::size_t(e)] >= 0) prev[std::size_t(next[std::size_t(e)])] = e;
    };
    const auto lift = [&](int e) {
        unlink(e);
        unlink(returnOf[std::size_t(entries[std::size_t(e)].op)]);
    };
    const auto unlift = [&](int e) {
        relink(returnOf[std::size_t(entries[std::size_t(e)].op)]);
        relink(e);
    };
    // Unknown operations of the same kind and argument are interchangeable once invoked, so the search places
    // the first one not yet placed of each such class: the placed ones of a class are always its first ones.
    std::vector<std::vector<int>> classes;  // each in invocation order
    {
        std::map<std::tuple<int, std::int64_t, std::string, std::string>, std::size_t> index;
        for (int i : unknownOps) {
            const Prepared& p = ops[std::size_t(i)];
            const auto key = std::make_tuple(int(p.kind), p.delta, p.a, p.b);
            const auto [it, added] = index.emplace(key, classes.size());
            if (added) classes.emplace_back();
            classes[it->second].push_back(i);
        }
    }
    std::uint64_t scan = 1;
    // The linearized set, as two Zobrist hashes (fixed keys: the verdict is the same on every run).
    std::vector<std::uint64_t> z1(ops.size()), z2(ops.size());
    for (std::size_t i = 0; i < ops.size(); ++i) {
        z1[i] = mix(0xA5A5A5A5ull + std::uint64_t(i) * 2);
        z2[i] = mix(0x5A5A5A5Aull + std::uint64_t(i) * 2 + 1);
    }
    // The cache: for each (set of completed operations placed, state), the unknown ones placed with them, as
    // counts per class. Fewer unknown operations placed leave more to choose from, so a configuration that
    // placed at least as many of every class as one already explored is dominated by it (Lowe's cache, with
    // the unknown operations compared by inclusion instead of equality).
    std::uint64_t h1 = 0, h2 = 0;  // of the completed operations placed
    std::unordered_map<CacheKey, std::vector<std::vector<std::uint32_t>>, CacheKeyHash> cache;
    std::vector<std::uint32_t> counts(classes.size(), 0);  // of each class, the first counts[c] are placed
    const auto dominated = [](const std::vector<std::uint32_t>& explored, const std::vector<std::uint32_t>& now) {
        for (std::size_t c = 0; c < now.size(); ++c)
            if (explored[c] > now[c]) return false;
        return true;
    };

    // In the counter model increments commute, so an unknown increment can always be moved later, up to the
    // read that follows it: the search places unknown increments only as a run right before a read (after one,
    // the next completed operation it places is a read), and only while a read waiting to be placed returned
    // more than the counter holds. A counter whose increments are all non-negative never goes down either:
    // nothing may take it above the value of the read whose completion comes first.
    bool counter = true, monotone = true;
    for (const Prepared& p : ops) {
        counter &= p.kind == Kind::ReadNumber || p.kind == Kind::Incr;
        monotone &= p.kind == Kind::ReadNumber || (p.kind == Kind::Incr && p.delta >= 0);
    }
    monotone &= counter;
    // The first open completion (bounding which unknown operations are invoked), the value of the read that
    // completes first, and the most a read waiting to be placed returned; recomputed once per scan.
    struct Window {
        std::size_t blocking = SIZE_MAX;
        std::int64_t bound = INT64_MAX;
        std::int64_t readMax = INT64_MIN;
    } window;
    std::uint64_t windowScan = 0;
    const auto windowNow = [&]() -> const Window& {
        if (windowScan == scan) return window;
        windowScan = scan;
        window = Window{};
        for (int e = next[std::size_t(head)]; e >= 0; e = next[std::size_t(e)]) {
            const Entry& entry = entries[std::size_t(e)];
            const Prepared& p = ops[std::size_t(entry.op)];
            if (entry.call) {
                if (p.kind == Kind::ReadNumber) window.readMax = std::max(window.readMax, p.outNumber);
                continue;
            }
            window.blocking = entry.position;
            if (p.kind == Kind::ReadNumber) window.bound = p.outNumber;
            break;
        }
        return window;
    };

    struct Frame {
        int entry;  // the definite operation's call entry, or -1
        int unknownClass;  // or the class of the unknown one
        bool needRead;
        State state;
    };
    std::vector<Frame> stack;
    State state;
    bool needRead = false;
    bool unknownPhase = false;
    std::size_t unknownClass = 0;  // the next class the unknown phase tries
    int entry = next[std::size_t(head)];
    // Places operation `op` if the model allows it from here and the result is new; false otherwise.
    const auto tryPlace = [&](int op, int callEntry, int atUnknown) {
        const Prepared& p = ops[std::size_t(op)];
        if (counter && !p.unknown && needRead && p.kind == Kind::Incr) return false;
        if (counter && p.unknown) {
            const std::int64_t most = windowNow().readMax;
            if (most == INT64_MIN || (monotone && state.number >= most)) return false;
        }
        State after;
        if (!step(state, p, after)) return false;
        if (monotone && after.number > windowNow().bound) return false;
        const bool afterNeedsRead = counter && (p.unknown || (needRead && p.kind != Kind::ReadNumber));
        const bool definite = callEntry >= 0;
        const CacheKey key{definite ? h1 ^ z1[std::size_t(op)] : h1,
                           (definite ? h2 ^ z2[std::size_t(op)] : h2) + hashState(after) + (afterNeedsRead ? 0x9E37ull : 0)};
        if (!definite) ++counts[std::size_t(atUnknown)];
        auto& explored = cache[key];
        for (const auto& before : explored)
            if (dominated(before, counts)) {
                if (!definite) --counts[std::size_t(atUnknown)];
                return false;
            }
        explored.push_back(counts);
        stack.push_back(Frame{callEntry, atUnknown, needRead, std::move(state)});
        state = std::move(after);
        needRead = afterNeedsRead;
        if (definite) {
            h1 ^= z1[std::size_t(op)];
            h2 ^= z2[std::size_t(op)];
            lift(callEntry);
        }
        ++scan;
        unknownPhase = false;
        entry = next[std::size_t(head)];
        return true;
    };
    while (next[std::size_t(head)] >= 0) {
        if (!budget.take()) return Verdict::Unknown;
        if (!unknownPhase) {
            const Entry& e = entries[std::size_t(entry)];
            if (e.call) {
                const int call = entry;
                entry = next[std::size_t(entry)];
                tryPlace(e.op, call, -1);
                continue;
            }
            // No completed operation can go next: try the unknown ones invoked so far.
            unknownPhase = true;
            unknownClass = 0;
            ++scan;
            continue;
        }
        if (unknownClass < classes.size()) {
            const std::size_t c = unknownClass++;
            if (counts[c] >= classes[c].size()) continue;
            const int op = classes[c][counts[c]];
            if (ops[std::size_t(op)].call >= windowNow().blocking) continue;  // not invoked yet
            tryPlace(op, -1, int(c));
            continue;
        }
        // Nothing can go next: take back the last placement and try what comes after it.
        if (stack.empty()) return Verdict::NotLinearizable;
        Frame top = std::move(stack.back());
        stack.pop_back();
        const int op = top.entry >= 0 ? entries[std::size_t(top.entry)].op
                                      : classes[std::size_t(top.unknownClass)][counts[std::size_t(top.unknownClass)] - 1];
        state = std::move(top.state);
        needRead = top.needRead;
        ++scan;
        if (top.entry >= 0) {
            h1 ^= z1[std::size_t(op)];
            h2 ^= z2[std::size_t(op)];
            unlift(top.entry);
            unknownPhase = false;
            entry = next[std::size_t(top.entry)];
        } else {
            --counts[std::size_t(top.unknownClass)];
            unknownPhase = true;
            unknownClass = std::size_t(top.unknownClass) + 1;
        }
    }
    return Verdict::Linearizable;
}

std::string opLine(const Operation& op) {
    std::string out = "line " + std::to_string(op.line) + ": process " + std::to_string(op.process) + " " + op.f;
    if (!op.input.is_null()) out += " " + describeValue(op.input);
    switch (op.outcome) {
        case Outcome::Ok:
            out += op.output.is_null() ? std::string(" ok") : " -> " + describeValue(op.output);
            break;
        case Outcome::Unknown:
            out += " (unknown)";
            break;
        case Outcome::Fail:
            out += " (failed)";
            break;
    }
    return out;
}

// Why the failing set fails, in words.
void explain(LinearizabilityResult& result, Model model, const std::vector<Operation>& all,
             const std::vector<Prepared>& keyOps) {
    const Text key = result.key.empty() ? makeText(QT_TRANSLATE_NOOP("Core", "the object"))
                                        : makeText(QT_TRANSLATE_NOOP("Core", "key %1"), result.key);
    // The operation the search could not place: the one of the failing set that completed last.
    const Operation* culprit = nullptr;
    for (const Operation& op : result.failing)
        if (op.outcome == Outcome::Ok && (!culprit || op.ret > culprit->ret)) culprit = &op;
    if (model == Model::Counter && culprit && culprit->f == "read") {
        // The increments that must have happened before the read, and those that may have.
        std::int64_t must = 0, low = 0, high = 0;
        bool overflow = false;
        for (const Prepared& p : keyOps) {
            if (p.kind != Kind::Incr) continue;
            if (!p.unknown && p.ret < culprit->call)
                overflow |= __builtin_add_overflow(must, p.delta, &must);
            else if (p.call < culprit->ret)
                overflow |= __builtin_add_overflow(p.delta < 0 ? low : high, p.delta, p.delta < 0 ? &low : &high);
        }
        std::int64_t lowest = 0, highest = 0;
        overflow |= __builtin_add_overflow(must, low, &lowest);
        overflow |= __builtin_add_overflow(must, high, &highest);
        const std::int64_t got = culprit->output.get<std::int64_t>();
        if (!overflow && (got < lowest || got > highest)) {
            const Text how = got < lowest ? makeText(QT_TRANSLATE_NOOP("Core", "lost"))
                                              : makeText(QT_TRANSLATE_NOOP("Core", "applied twice, or invented"));
            result.text =
                low == 0 && high == 0
                    ? makeText(QT_TRANSLATE_NOOP("Core", "Process %1's read of %2 returned %3 (line %4), but the "
                                                         "increments that completed before it add up to %5 and no "
                                                         "other could have taken effect by then: an increment was %6."),
                               culprit->process, key, got, culprit->line, must, how)
                    : makeText(QT_TRANSLATE_NOOP("Core", "Process %1's read of %2 returned %3 (line %4), but the "
                                                         "increments that completed before it add up to %5 and with "
                                                         "those that may have taken effect by then it can only be %6 "
                                                         "to %7: an increment was %8."),
                               culprit->process, key, got, culprit->line, must, lowest, highest, how);
            result.explanation = result.text.str();
            return;
        }
    }
    constexpr std::size_t kListedMax = 8;
    std::string listed;
    for (std::size_t i = 0; i < result.failing.size() && i < kListedMax; ++i)
        listed += (i ? "; " : "") + opLine(result.failing[i]);
    if (result.failing.size() > kListedMax) listed += "; ...";
    const Text which = result.minimal
                           ? makeText(QT_TRANSLATE_NOOP("Core", "No order of these %1 operations on %2 gives each "
                                                                "one its result, and without any one of them an "
                                                                "order exists: %3."),
                                      result.failing.size(), key, listed)
                           : makeText(QT_TRANSLATE_NOOP("Core", "No order of these %1 operations on %2 gives each "
                                                                "one its result: %3."),
                                      result.failing.size(), key, listed);
    result.text = culprit ? makeText(QT_TRANSLATE_NOOP("Core", "%1 The search could not place %2."), which,
                                     opLine(*culprit))
                          : which;
    result.explanation = result.text.str();
    (void)all;
}

}  // namespace

std::optional<Model> parseModel(std::string_view name) {
    if (name == "counter") return Model::Counter;
    if (name == "register") return Model::Register;
    if (name == "cas-register") return Model::CasRegister;
    if (name == "kv") return Model::Kv;
    return std::nullopt;
}

std::string_view modelName(Model model) {
    switch (model) {
        case Model::Counter: return "counter";
        case Model::Register: return "register";
        case Model::CasRegister: return "cas-register";
        case Model::Kv: return "kv";
    }
    return "counter";
}

std::string_view verdictName(Verdict verdict) {
    switch (verdict) {
        case Verdict::Linearizable: return "linearizable";
        case Verdict::NotLinearizable: return "not linearizable";
        case Verdict::Unknown: return "unknown";
    }
    return "unknown";
}

Result<LinearizabilityResult> checkLinearizability(const std::vector<Operation>& ops, Model model,
                                                    const CheckOptions& options) {
    LinearizabilityResult result;
    std::map<std::string, std::vector<Prepared>> byKey;
    for (std::size_t i = 0; i < ops.size(); ++i) {
        const Operation& op = ops[i];
        auto prepared = prepare(op, i, model);
        if (!prepared) return prepared.error();
        if (!prepared->has_value()) continue;
        ++result.operations;
        result.unknown += prepared.value()->unknown;
        byKey[op.key].push_back(std::move(*prepared.value()));
    }
    result.keys = byKey.size();
    Budget budget(options.stepsMax, options.deadline);
    const std::vector<Prepared>* failing = nullptr;
    for (const auto& [key, keyOps] : byKey) {
        const Verdict verdict = search(keyOps, budget, model);
        if (verdict == Verdict::NotLinearizable) {
            result.verdict = Verdict::NotLinearizable;
            result.key = key;
            failing = &keyOps;
            break;
        }
        if (verdict == Verdict::Unknown && result.verdict == Verdict::Linearizable) {
            result.verdict = Verdict::Unknown;
            result.unknownKey = key;
            // The budget is spent; the other keys cannot be searched.
            break;
        }
    }
    result.steps = budget.used();
    if (!failing) return result;

    // A small failing set: the shortest failing prefix, then ddmin over its operations. Each re-check gets
    // its own budget; one that runs out counts as "does not fail", which keeps the set failing.
    std::uint64_t checksLeft = options.explain ? options.explainChecksMax : 0;
    const std::uint64_t perCheck = std::max<std::uint64_t>(options.stepsMax / 20, 10'000);
    bool inconclusive = false;  // a re-check ran out of budget: the set may not be minimal
    const auto fails = [&](const std::vector<Prepared>& candidate) {
        if (checksLeft == 0) return false;
        --checksLeft;
        Budget local(perCheck, options.deadline);
        const Verdict verdict = search(candidate, local, model);
        inconclusive |= verdict == Verdict::Unknown;
        return verdict == Verdict::NotLinearizable;
    };
    std::vector<Prepared> set = *failing;
    bool finished = false;
    if (options.explain) {
        std::vector<std::size_t> cuts;
        for (const Prepared& p : *failing)
            if (!p.unknown) cuts.push_back(p.ret + 1);
        std::sort(cuts.begin(), cuts.end());
        cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
        std::size_t lo = 0, hi = cuts.size();  // the first cut that fails is in [lo, hi]; cuts.size(): the whole
        while (lo < hi) {
            const std::size_t mid = (lo + hi) / 2;
            if (fails(cutAt(*failing, cuts[mid])))
                hi = mid;
            else
                lo = mid + 1;
        }
        if (lo < cuts.size()) set = cutAt(*failing, cuts[lo]);
        // ddmin, reducing to complements.
        std::size_t parts = 2;
        while (set.size() >= 2 && checksLeft > 0) {
            const std::size_t chunk = (set.size() + parts - 1) / parts;
            bool reduced = false;
            for (std::size_t start = 0; start < set.size() && checksLeft > 0; start += chunk) {
                std::vector<Prepared> rest;
                for (std::size_t i = 0; i < set.size(); ++i)
                    if (i < start || i >= start + chunk) rest.push_back(set[i]);
                if (fails(rest)) {
                    set = std::move(rest);
                    parts = std::max<std::size_t>(parts - 1, 2);
                    reduced = true;
                    break;
                }
            }
            if (reduced) continue;
            if (checksLeft == 0) break;
            if (parts >= set.size()) {
                finished = true;
                break;
            }
            parts = std::min(parts * 2, set.size());
        }
        if (set.size() == 1) finished = true;
    }
    result.minimal = finished && !inconclusive;
    for (const Prepared& p : set) {
        Operation op = ops[p.op];
        if (p.unknown && op.outcome == Outcome::Ok) op.outcome = Outcome::Unknown;  // cut before its completion
        result.failing.push_back(std::move(op));
    }
    std::sort(result.failing.begin(), result.failing.end(),
              [](const Operation& x, const Operation& y) { return x.call < y.call; });
    explain(result, model, ops, *failing);
    return result;
}

Json resultToJson(const LinearizabilityResult& result, Model model) {
    Json json{{"model", std::string(modelName(model))},
              {"verdict", std::string(verdictName(result.verdict))},
              {"linearizable", result.verdict == Verdict::Linearizable},
              {"operations", result.operations},
              {"unknown_operations", result.unknown},
              {"keys", result.keys},
              {"steps", result.steps}};
    if (result.verdict == Verdict::NotLinearizable) {
        json["key"] = result.key;
        json["explanation"] = result.explanation;
        json["minimal"] = result.minimal;
        Json failing = Json::array();
        for (const Operation& op : result.failing)
            failing.push_back(Json{{"line", op.line},
                                   {"process", op.process},
                                   {"f", op.f},
                                   {"value", op.input},
                                   {"result", op.output},
                                   {"outcome", op.outcome == Outcome::Ok ? "ok" : "unknown"}});
        json["failing"] = std::move(failing);
    }
    if (result.verdict == Verdict::Unknown) json["unknown_key"] = result.unknownKey;
    return json;
}

}  // namespace distlab::lin
