#pragma once
// Throughput of the kernel against a bare priority-queue loop over the same number of events, measured
// in the same process so the ratio says something on any machine.
#include <cstdint>

namespace distlab {

struct KernelBenchResult {
    std::uint64_t events = 0;
    double kernelEps = 0;    // events per second through World (timers, dispatch, trace)
    double baselineEps = 0;  // events per second of std::priority_queue push/pop alone
    double ratio() const { return baselineEps > 0 ? kernelEps / baselineEps : 0; }
};

KernelBenchResult benchKernel(std::uint64_t events, int nodes = 64);

}  // namespace distlab
