#pragma once
// The processes a scenario's labs start, by id, for a cluster of real processes: each distlab-node asks for
// its own id's and runs the very process the simulator would run (same class, same configuration).
#include <string>
#include <vector>

#include <memory>

#include "core/base/result.h"
#include "core/labs/lab.h"
#include "core/node/node.h"
#include "core/scenario/scenario.h"

namespace distlab {

struct ScenarioNode {
    NodeId id;
    NodeFactory factory;
};

// Creates the labs of the registry that the scenario has, on `host`, and starts each (in the registry's
// order); the first lab that cannot start, or throws, is the error. NetSession and the functions below
// build a run's labs with it.
Status startScenarioLabs(const Scenario& scenario, LabHost& host, std::vector<std::unique_ptr<Lab>>& labs);

// Every node the scenario's labs add at time 0, the control node ("ctl") first, in the order they are added.
Result<std::vector<ScenarioNode>> scenarioNodes(const Scenario& scenario);
// The factory of one of them; the error lists the ids there are.
Result<NodeFactory> scenarioNodeFactory(const Scenario& scenario, const NodeId& id);
// The process `node add ID` would add to the scenario's running cluster (a ring server for the ring lab, a
// replica for the counter): what a node that joins runs.
Result<NodeFactory> addedNodeFactory(const Scenario& scenario, const NodeId& id);

}  // namespace distlab
