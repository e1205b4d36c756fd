// Messages of the orchestrated saga (Garcia-Molina & Salem 1987; Richardson, "Microservices Patterns",
// ch. 4): strict readers that name the offending field, so a malformed request is answered with error 12
// and a sentence a student can act on.
#include "core/protocols/txn/saga_messages.h"

#include <optional>

namespace distlab::txn {

namespace {

// Reads the fields of one JSON object, remembering the first problem; `path` prefixes field names.
class FieldReader {
public:
    FieldReader(const Json& object, std::string path) : m_object(object), m_path(std::move(path)) {
        if (!m_object.is_object()) fail(m_path.empty() ? "body" : m_path, "expected an object");
    }

    std::string name(const char* field, std::size_t bytesMax) {
        const Json* value = find(field);
        if (!value) return {};
        if (!value->is_string() || value->get_ref<const std::string&>().empty() ||
            value->get_ref<const std::string&>().size() > bytesMax) {
            fail(pathOf(field),
                 "expected a non-empty string of at most " + std::to_string(bytesMax) + " bytes");
            return {};
        }
        return value->get<std::string>();
    }

    // An integer in [lo, hi]; `fallback` when the field is absent and optional.
    std::int64_t integer(const char* field, std::int64_t lo, std::int64_t hi,
                         std::optional<std::int64_t> fallback = std::nullopt) {
        const Json* value = find(field, fallback.has_value());
        if (!value) return fallback.value_or(0);
        if (!value->is_number_integer()) {
            fail(pathOf(field), "expected an integer");
            return 0;
        }
        const std::int64_t number = value->get<std::int64_t>();
        if (number < lo || number > hi) {
            fail(pathOf(field), "expected an integer from " + std::to_string(lo) + " to " +
                                    std::to_string(hi) + ", got " + std::to_string(number));
            return 0;
        }
        return number;
    }

    bool flag(const char* field) {
        const Json* value = find(field, /*optional=*/true);
        if (!value) return false;
        if (!value->is_boolean()) {
            fail(pathOf(field), "expected true or false");
            return false;
        }
        return value->get<bool>();
    }

    const Json* array(const char* field) {
        const Json* value = find(field);
        if (value && !value->is_array()) {
            fail(pathOf(field), "expected an array");
            return nullptr;
        }
        return value;
    }

    std::string pathOf(const char* field) const { return m_path.empty() ? field : m_path + "." + field; }
    void fail(const std::string& where, const std::string& what) {
        if (!m_problem) m_problem = where + ": " + what;
    }
    const std::optional<std::string>& problem() const { return m_problem; }

private:
    const Json* find(const char* field, bool optional = false) {
        if (m_problem || !m_object.is_object()) return nullptr;
        auto it = m_object.find(field);
        if (it == m_object.end()) {
            if (!optional) fail(pathOf(field), "missing");
            return nullptr;
        }
        return &*it;
    }

    const Json& m_object;
    std::string m_path;
    std::optional<std::string> m_problem;
};

Status expectType(const Body& body, std::string_view type) {
    if (body.type != type)
        return makeError("body.type: expected \"" + std::string(type) + "\", got \"" + body.type + "\"");
    return Ok{};
}

const auto kIndexMax = static_cast<std::int64_t>(kSagaStepsMax);

// {saga, index} with index in 1..kSagaStepsMax: the address of one action.
template <class T>
Result<T> parseAddress(const Body& body) {
    if (Status type = expectType(body, T::kType); !type) return type.error();
    FieldReader reader(body.fields, "");
    T message;
    message.saga = reader.name("saga", kSagaIdBytesMax);
    message.index = reader.integer("index", 1, kIndexMax);
    if (reader.problem()) return makeError(*reader.problem());
    return message;
}

}  // namespace

Result<SagaRun> parseSagaRun(const Body& body) {
    if (Status type = expectType(body, SagaRun::kType); !type) return type.error();
    FieldReader reader(body.fields, "");
    SagaRun run;
    run.saga = reader.name("saga", kSagaIdBytesMax);
    const Json* steps = reader.array("steps");
    if (steps && (steps->empty() || steps->size() > kSagaStepsMax))
        reader.fail("steps", "expected 1 to " + std::to_string(kSagaStepsMax) + " steps, got " +
                                 std::to_string(steps->size()));
    if (steps && !reader.problem()) {
        for (std::size_t i = 0; i < steps->size(); ++i) {
            FieldReader step((*steps)[i], "steps[" + std::to_string(i) + "]");
            SagaStepSpec spec;
            spec.service = step.name("service", kSagaNameBytesMax);
            spec.action = step.name("action", kSagaNameBytesMax);
            spec.amount = step.integer("amount", -kSagaAmountMax, kSagaAmountMax, 1);
            if (step.problem()) return makeError(*step.problem());
            run.steps.push_back(std::move(spec));
        }
    }
    const auto count = static_cast<std::int64_t>(run.steps.size());
    run.fail_at = reader.integer("fail_at", 0, count, 0);
    run.timeout_at = reader.integer("timeout_at", 0, count, 0);
    if (!reader.problem() && run.fail_at != 0 && run.fail_at == run.timeout_at)
        reader.fail("timeout_at", "names the same step as fail_at (" + std::to_string(run.fail_at) +
                                      "); a step either fails or times out");
    if (reader.problem()) return makeError(*reader.problem());
    return run;
}

Result<SagaStep> parseSagaStep(const Body& body) {
    if (Status type = expectType(body, SagaStep::kType); !type) return type.error();
    FieldReader reader(body.fields, "");
    SagaStep step;
    step.saga = reader.name("saga", kSagaIdBytesMax);
    step.index = reader.integer("index", 1, kIndexMax);
    step.action = reader.name("action", kSagaNameBytesMax);
    step.amount = reader.integer("amount", -kSagaAmountMax, kSagaAmountMax, 1);
    step.fail = reader.flag("fail");
    step.hang = reader.flag("hang");
    if (reader.problem()) return makeError(*reader.problem());
    return step;
}

Result<SagaCompensate> parseSagaCompensate(const Body& body) {
    return parseAddress<SagaCompensate>(body);
}
Result<SagaStepOk> parseSagaStepOk(const Body& body) {
    return parseAddress<SagaStepOk>(body);
}
Result<SagaCompensateOk> parseSagaCompensateOk(const Body& body) {
    return parseAddress<SagaCompensateOk>(body);
}

Result<SagaStepFailed> parseSagaStepFailed(const Body& body) {
    if (Status type = expectType(body, SagaStepFailed::kType); !type) return type.error();
    FieldReader reader(body.fields, "");
    SagaStepFailed failed;
    failed.saga = reader.name("saga", kSagaIdBytesMax);
    failed.index = reader.integer("index", 1, kIndexMax);
    failed.reason = reader.name("reason", kSagaNameBytesMax);
    if (reader.problem()) return makeError(*reader.problem());
    return failed;
}

std::string sagaActionName(bool compensation, std::int64_t index) {
    return (compensation ? "C" : "T") + std::to_string(index);
}

std::vector<Body> sagaSampleMessages() {
    SagaRun run{"s1", {{"a", "reserve-seat", 2}, {"b", "charge-card", 30}}, 2, 0};
    return {
        makeBody(run),
        makeBody(SagaRunOk{"s1", "running"}),
        makeBody(SagaStep{"s1", 1, "reserve-seat", 2, false, false}),
        makeBody(SagaStepOk{"s1", 1}),
        makeBody(SagaStepFailed{"s1", 2, "refused"}),
        makeBody(SagaCompensate{"s1", 1}),
        makeBody(SagaCompensateOk{"s1", 1}),
        makeBody(SagaRead{}),
        makeBody(SagaReadOk{2, {{"s1", 1, "reserve-seat", 2}}}),
    };
}

std::vector<std::string_view> sagaMessageTypes() {
    return {SagaRun::kType,          SagaRunOk::kType,      SagaStep::kType,
            SagaStepOk::kType,       SagaStepFailed::kType, SagaCompensate::kType,
            SagaCompensateOk::kType, SagaRead::kType,       SagaReadOk::kType};
}

}  // namespace distlab::txn
