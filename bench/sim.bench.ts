// `npm run bench:sim`: prints numbers, asserts nothing. The volume simulator's throughput with 1 and 2
// worker threads on the same stream (BENCH_SIM_TIPS tips of 2019, default 500,000), its peak memory
// (RSS of the whole process, workers included), and the time the whole of 2019 (16.9M reports) and 2023
// (36.2M) would take at the 2-worker rate. Target (issue 17): at least 45,000 tips/s with 2 workers, under 500 MB.
import { availableParallelism, loadavg } from 'node:os';
import { readSimParams } from '../src/sim/params-file.js';
import { runSimulation } from '../src/sim/run.js';

const TIPS = Number(process.env.BENCH_SIM_TIPS ?? 500_000);
const params = readSimParams();
const TARGET_RATE = 45_000;
const TARGET_MB = 500;

const clock = (seconds: number): string => `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;

console.log(`tipflow bench:sim: ${TIPS.toLocaleString('en-US')} tips of 2019, seed 1, ${availableParallelism()} cores, load average ${loadavg()[0]?.toFixed(2)} (node ${process.version})\n`);
const rates: Record<number, number> = {};
const cpuPerTip: Record<number, number> = {};
for (const workers of [1, 2]) {
  const result = await runSimulation({ spec: { tips: TIPS, year: 2019, seed: 1 }, params, workers });
  rates[workers] = result.run.tipsPerSecond;
  cpuPerTip[workers] = (result.run.cpuMs * 1000) / TIPS;
  const o = result.tally.routingOutcomes;
  const conserved = o.referred + o['legal-process'] + o.informational + o.bundled + o.rejected === TIPS;
  console.log(
    `${workers} worker${workers === 1 ? ' ' : 's'}  ${Math.round(result.run.tipsPerSecond).toLocaleString('en-US').padStart(7)} tips/s  ` +
      `${(result.run.elapsedMs / 1000).toFixed(1).padStart(6)} s  ${(cpuPerTip[workers] ?? 0).toFixed(1)} µs CPU a tip  peak RSS ${Math.round(result.run.peakRssBytes / 1e6)} MB  ` +
      `engine walks ${result.run.engineRouted.toLocaleString('en-US')}, checked ${result.run.checked}, conserved ${conserved ? 'yes' : 'NO'}`,
  );
}
const two = rates[2] ?? Number.NaN;
console.log(`\nspeed-up 1 → 2 workers: ${(two / (rates[1] ?? Number.NaN)).toFixed(2)}×; 2 workers vs target ${TARGET_RATE.toLocaleString('en-US')} tips/s: ${(two / TARGET_RATE).toFixed(2)}×`);
for (const [year, reports] of [[2019, 16_900_000], [2023, 36_200_000]] as const) {
  console.log(`projected ${year} (${(reports / 1e6).toFixed(1)}M reports) with 2 workers: ${clock(reports / two)}`);
}
// Wall-clock rates depend on what else runs on the machine; CPU per tip does not. With 2 cores to itself the
// run could go at about 2 / (CPU per tip) (the coordinating thread's share included in the CPU time).
const ideal = 2 / ((cpuPerTip[2] ?? Number.NaN) / 1e6);
console.log(`with 2 idle cores (from CPU per tip): about ${Math.round(ideal).toLocaleString('en-US')} tips/s, 2019 in ${clock(16_900_000 / ideal)}, 2023 in ${clock(36_200_000 / ideal)}`);
console.log(`memory target: under ${TARGET_MB} MB peak RSS (see above)`);
