#pragma once

namespace distlab {

// The life of a simulated process.
enum class NodeStatus { Up, Crashed, Paused, Removed };

}  // namespace distlab
