// The terminal player's screen and the debrief wrap at word boundaries (issue 15, item 4): at 160 and at
// 80 columns no line is longer than the terminal, and no word of the screen is cut (each one is found whole).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { answerKeyDecision } from '../../src/domain/routing/answer-key.js';
import { Engine } from '../../src/engine/index.js';
import { bundledReference } from '../../src/io/bundled-reference.js';
import { PlaySession } from '../../src/cli/play/play-session.js';
import { renderScreen } from '../../src/cli/play/screen.js';
import { gradeSession } from '../../src/scenario/debrief.js';
import { driveExercise } from '../../src/scenario/drive.js';
import { loadExerciseText } from '../../src/scenario/load.js';
import { renderDebriefText } from '../../src/scenario/report.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const engine = new Engine(bundledReference());
const words = (text: string) => text.split(/\s+/).filter((w) => w !== '' && !/^[─-]+$/.test(w));

function loaded(name: string) {
  const file = join(ROOT, 'fixtures', 'scenarios', name);
  const text = readFileSync(file, 'utf8');
  const result = loadExerciseText(text, file);
  if (result.loaded === null) throw new Error(`${name} does not load`);
  return { loaded: result.loaded, text, file };
}

describe.each([160, 80])('at %i columns', (width) => {
  it('the play screen (a P2P tip with a wide table) fits and keeps every word whole', () => {
    const { loaded: exercise, text, file } = loaded('p2p-vpn-all-networks.yaml');
    const play = PlaySession.start(engine, exercise, { file, text }, 'practice');
    const wide = renderScreen(play, ['A notice that is long enough to need more than one line at eighty columns, with subjects[0].ipEvents[0] in it.']);
    const narrow = renderScreen(play, ['A notice that is long enough to need more than one line at eighty columns, with subjects[0].ipEvents[0] in it.'], width);
    for (const line of narrow.split('\n')) expect(line.length, line).toBeLessThanOrEqual(width);
    for (const word of words(wide).filter((w) => w.length < width - 10)) expect(narrow, word).toContain(word);
  });

  it('the debrief of a refused decision fits and keeps every word whole', () => {
    const { loaded: exercise } = loaded('sextortion-p1-wichita.yaml');
    const run = driveExercise(engine, exercise.exercise, exercise.tip, ({ point, context }) => (point === 'triage' ? { type: 'TRIAGE.ASSIGN', priority: 'P2', track: 'referral' } : answerKeyDecision(point, context, engine.reference)), { onRefusal: 'answer-key' });
    const debrief = gradeSession(engine, exercise.exercise, run.session.toRecord(), run.refusals);
    const wide = renderDebriefText(debrief);
    const narrow = renderDebriefText(debrief, { width });
    for (const line of narrow.split('\n')) expect(line.length, line).toBeLessThanOrEqual(width);
    for (const word of words(wide)) expect(narrow, word).toContain(word);
  });
});
