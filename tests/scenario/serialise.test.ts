import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExerciseText } from '../../src/scenario/load.js';
import { serialiseExercise } from '../../src/scenario/serialise.js';

const dir = new URL('../../fixtures/scenarios/', import.meta.url).pathname;
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));

describe('an upload is stored as its parsed document written out again', () => {
  it.each(files)('%s reloads to the same exercise and tip, without its comments', (name) => {
    const file = join(dir, name);
    const { loaded } = loadExerciseText(readFileSync(file, 'utf8'), file);
    if (loaded === null) throw new Error(`${name} does not load`);
    const text = serialiseExercise(loaded);
    expect(text).not.toContain('#');
    const again = loadExerciseText(text, 'stored.yaml', () => {
      throw new Error('the tip is inline');
    }).loaded;
    expect(again?.exercise).toEqual({ ...loaded.exercise, tip: loaded.tip });
    expect(again?.tip).toEqual(loaded.tip);
  });

  it('drops comments that carried content', () => {
    const file = join(dir, 'direct-london.yaml');
    const hostile = `# iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk 8.8.8.8 narrative\n${readFileSync(file, 'utf8')}`;
    const { loaded } = loadExerciseText(hostile, file);
    if (loaded === null) throw new Error('does not load');
    const text = serialiseExercise(loaded);
    expect(text).not.toContain('iVBOR');
    expect(text).not.toContain('8.8.8.8');
  });
});
