#include "core/check/history_generator.h"

#include <map>
#include <optional>
#include <string>

#include "core/base/rng.h"

namespace distlab::lin {

namespace {

struct Open {
    std::int64_t process = 0;
    std::string f;
    std::string key;
    Json input;
    bool applied = false;
    bool failed = false;  // a cas whose comparison failed
    Json output;
};

}  // namespace

std::vector<HistoryEvent> generateHistory(const GeneratorOptions& options) {
    Rng rng(options.seed);
    std::vector<HistoryEvent> history;
    std::map<std::string, Json> values;  // the sequential object, per key (absent: null)
    std::vector<std::optional<Open>> clients(std::size_t(std::max(1, options.clients)));
    std::vector<std::int64_t> process(clients.size());
    for (std::size_t i = 0; i < clients.size(); ++i) process[i] = std::int64_t(i);
    std::int64_t nextProcess = std::int64_t(clients.size());
    std::size_t invoked = 0;
    const auto emit = [&history](std::int64_t p, EventType type, const Open& op, Json value) {
        HistoryEvent e;
        e.process = p;
        e.type = type;
        e.f = op.f;
        if (!op.key.empty()) e.key = op.key;
        e.value = std::move(value);
        history.push_back(std::move(e));
    };
    const auto apply = [&](Open& op) {
        Json& value = values[op.key];
        if (op.f == "incr") {
            value = (value.is_null() ? 0 : value.get<std::int64_t>()) + op.input.get<std::int64_t>();
        } else if (op.f == "read" && options.model == Model::Counter) {
            op.output = value.is_null() ? Json(0) : value;
        } else if (op.f == "read" || op.f == "get") {
            op.output = value;
        } else if (op.f == "write" || op.f == "put") {
            value = op.input;
        } else if (op.f == "append") {
            value = (value.is_null() ? std::string() : value.get<std::string>()) + op.input.get<std::string>();
        } else if (op.f == "cas") {
            if (value == op.input[0])
                value = op.input[1];
            else
                op.failed = true;
        }
        op.applied = true;
    };
    while (invoked < options.operations || std::any_of(clients.begin(), clients.end(), [](const auto& c) { return c.has_value(); })) {
        const std::size_t c = std::size_t(rng.uniform(0, std::int64_t(clients.size())));
        auto& slot = clients[c];
        if (!slot) {
            if (invoked >= options.operations) continue;
            ++invoked;
            Open op;
            op.process = process[c];
            op.key = options.keys > 1 ? "k" + std::to_string(rng.uniform(1, options.keys + 1)) : std::string();
            const bool write = rng.chance(0.5);
            switch (options.model) {
                case Model::Counter:
                    op.f = write ? "incr" : "read";
                    if (write) op.input = rng.uniform(1, options.deltaMax + 1);
                    break;
                case Model::Register:
                    op.f = write ? "write" : "read";
                    if (write) op.input = rng.uniform(0, 5);
                    break;
                case Model::CasRegister: {
                    const int kind = int(rng.uniform(0, 3));
                    op.f = kind == 0 ? "read" : kind == 1 ? "write" : "cas";
                    if (kind == 1) op.input = rng.uniform(0, 5);
                    if (kind == 2) op.input = Json::array({rng.uniform(0, 5), rng.uniform(0, 5)});
                    break;
                }
                case Model::Kv:
                    op.f = write ? (rng.chance(0.5) ? "append" : "put") : "get";
                    // Distinct values, as Jepsen's append tests use, so a read tells which appends it saw.
                    if (write) op.input = std::to_string(invoked) + ";";
                    break;
            }
            emit(op.process, EventType::Invoke, op, op.input);
            slot = std::move(op);
            continue;
        }
        Open& op = *slot;
        if (!op.applied && rng.chance(0.5)) {
            apply(op);  // its linearization point
            continue;
        }
        if (rng.chance(options.unknownRate)) {
            // Unknown, whether it took effect (applied) or not; the process is retired.
            emit(op.process, EventType::Info, op, op.input);
            process[c] = nextProcess++;
            slot.reset();
            continue;
        }
        if (!op.applied) apply(op);
        if (op.failed)
            emit(op.process, EventType::Fail, op, op.input);
        else
            emit(op.process, EventType::Ok, op, op.output.is_null() ? op.input : op.output);
        slot.reset();
    }
    return history;
}

}  // namespace distlab::lin
