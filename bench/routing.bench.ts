// `npm run bench`: prints numbers, asserts nothing. On the same tips and the same events:
//   (1) the engine with the auto driver, (2) plain createActor stepping of the same machine (reference),
//   (3) the rule book called directly (the floor); then the CLI's cold start against bare node.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createActor } from 'xstate';
import { assessGeolocation } from '../src/domain/assessment.js';
import { chooseRoute } from '../src/domain/routing/route-choice.js';
import { parseTip } from '../src/domain/tip/parse.js';
import { priorityFor, trackFor } from '../src/domain/triage.js';
import { Engine, runAutoDriver } from '../src/engine/index.js';
import type { RoutingEvent } from '../src/domain/events.js';
import { bundledReference } from '../src/io/bundled-reference.js';
import { fixturePath, PROJECT_ROOT } from '../src/io/project-files.js';
import { readJsonFile } from '../src/io/read-json.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 400);
const reference = bundledReference();
const engine = new Engine(reference);

const tipDir = fixturePath('tips');
const tips = readdirSync(tipDir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => readJsonFile(join(tipDir, f)))
  .filter((t) => parseTip(t).ok);

// The events each tip's auto run sends, so the reference actor steps through exactly the same ones.
const scripts = tips.map((tip) => {
  const session = engine.start(tip);
  runAutoDriver(engine, session);
  return session.log.filter((r) => r.actor === 'auto').map((r) => r.event as RoutingEvent);
});
const eventsPerRound = scripts.reduce((n, s) => n + s.length, 0);

// The three are interleaved batch by batch, so load from anything else on the machine hits them alike.
function measureAll(candidates: Record<string, () => void>): Record<string, number> {
  const names = Object.keys(candidates);
  const totals: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
  const BATCHES = 20;
  const perBatch = Math.max(1, Math.round(ROUNDS / BATCHES));
  for (const name of names) for (let i = 0; i < Math.min(50, ROUNDS); i += 1) candidates[name]?.(); // warm-up
  for (let batch = 0; batch < BATCHES; batch += 1) {
    for (const name of names) {
      const start = performance.now();
      for (let i = 0; i < perBatch; i += 1) candidates[name]?.();
      totals[name] = (totals[name] ?? 0) + (performance.now() - start);
    }
  }
  const usPerEvent: Record<string, number> = {};
  for (const name of names) {
    const ms = totals[name] ?? 0;
    usPerEvent[name] = (ms * 1000) / (BATCHES * perBatch * eventsPerRound);
    const tipsPerSecond = (BATCHES * perBatch * tips.length) / (ms / 1000);
    console.log(`${name.padEnd(44)} ${(usPerEvent[name] ?? 0).toFixed(2).padStart(8)} µs/event  ${Math.round(tipsPerSecond).toString().padStart(8)} tips/s`);
  }
  return usPerEvent;
}

console.log(`tipflow bench: ${tips.length} sample tips, ${eventsPerRound} decision events per round, ${ROUNDS} rounds (node ${process.version})\n`);

const results = measureAll({
  '(1) engine + auto driver': () => {
    for (const tip of tips) runAutoDriver(engine, engine.start(tip));
  },
  '(1b) engine stepping the same events (no answer key)': () => {
    tips.forEach((tip, i) => {
      const session = engine.start(tip);
      for (const event of scripts[i] ?? []) engine.deliver(session, event, { actor: 'auto' });
    });
  },
  '(2) createActor stepping (reference)': () => {
    tips.forEach((tip, i) => {
      // Plain: XState's default clock, real timers (stopped before any can fire; --no-warnings hides
      // Node's notice that it clamps the 90-day ones).
      const actor = createActor(engine.machine, { input: { submission: tip } });
      actor.start();
      for (const event of scripts[i] ?? []) actor.send(event);
      actor.stop();
    });
  },
  '(2b) createActor with a no-op clock (timers dropped)': () => {
    tips.forEach((tip, i) => {
      const actor = createActor(engine.machine, { input: { submission: tip }, clock: { setTimeout: () => 0, clearTimeout: () => undefined } });
      actor.start();
      for (const event of scripts[i] ?? []) actor.send(event);
      actor.stop();
    });
  },
  '(3) rule book called directly (floor)': () => {
    for (const tip of tips) {
      const parsed = parseTip(tip);
      if (!parsed.ok) continue;
      priorityFor(parsed.value);
      trackFor(parsed.value);
      const assessment = assessGeolocation(parsed.value, reference.geo, parsed.value.receivedAt);
      chooseRoute(assessment, reference.jurisdictions, [], 0);
    }
  },
});
const engineUs = results['(1) engine + auto driver'] ?? NaN;
const actorUs = results['(2) createActor stepping (reference)'] ?? NaN;
const floorUs = results['(3) rule book called directly (floor)'] ?? NaN;

const steppingUs = results['(1b) engine stepping the same events (no answer key)'] ?? NaN;
const inertUs = results['(2b) createActor with a no-op clock (timers dropped)'] ?? NaN;
console.log(`\nengine speed vs plain actor stepping: ${(actorUs / engineUs).toFixed(2)}× (target ≥ 1.0×); stepping alone ${(actorUs / steppingUs).toFixed(2)}×`);
console.log(`engine speed vs an actor whose timers go nowhere: ${(inertUs / engineUs).toFixed(2)}×; stepping alone ${(inertUs / steppingUs).toFixed(2)}×`);
console.log(`engine time vs rule-book floor: ${(engineUs / floorUs).toFixed(1)}× the floor`);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}
function coldStart(args: string[]): number {
  const runs: number[] = [];
  for (let i = 0; i < 5; i += 1) {
    const start = performance.now();
    const result = spawnSync(process.execPath, args, { cwd: PROJECT_ROOT, stdio: 'ignore' });
    runs.push(performance.now() - start);
    if (result.status !== 0 && args[0] !== '-e') throw new Error(`tipflow exited ${result.status}`);
  }
  return median(runs);
}
const sample = readdirSync(tipDir).filter((f) => f.endsWith('.json')).sort()[0] ?? 'webmail-houston.json';
const bare = coldStart(['-e', '0']);
const cli = coldStart(['bin/tipflow.js', 'route', join('fixtures', 'tips', sample)]);
console.log(`\ncold start, median of 5: node -e 0 ${bare.toFixed(0)} ms; tipflow route ${cli.toFixed(0)} ms = ${(cli / bare).toFixed(1)}× bare node (target ≤ 5×)`);
