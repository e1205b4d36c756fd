#include "core/node/node.h"

namespace distlab {

std::string_view opPhaseName(OpPhase phase) {
    switch (phase) {
        case OpPhase::Invoke: return "invoke";
        case OpPhase::Ok: return "ok";
        case OpPhase::Fail: return "fail";
        case OpPhase::Unknown: return "unknown";
    }
    return "unknown";
}

}  // namespace distlab
