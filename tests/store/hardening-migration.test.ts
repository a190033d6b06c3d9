import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStoredSession } from '../../src/store/sessions.js';
import { exerciseTextDigest, MIGRATIONS } from '../../src/store/sqlite-migrations.js';
import { SqliteAccountStore } from '../../src/store/sqlite-accounts.js';
import { SqliteEventStore } from '../../src/store/sqlite-store.js';
import { cgnatTip, engine } from '../engine/helpers.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tipflow-hardening-'));
  file = join(dir, 'tipflow.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const CREATED = '2026-11-29T09:00:00.000Z';
const TEXT = 'format: tipflow.exercise/1\nid: mine\n';

/** A database as migration 5 left it: one instructor's upload, and two sessions that copied its text. */
function version5(): void {
  const db = new Database(file);
  for (const step of MIGRATIONS.slice(0, 5)) if (typeof step === 'string') db.exec(step);
  db.pragma('user_version = 5');
  db.prepare("INSERT INTO users VALUES ('u1', 'teacher', 'instructor', 'x', ?)").run(CREATED);
  db.prepare("INSERT INTO exercises VALUES ('mine', 'u1', 'mine.yaml', ?, ?)").run(TEXT, CREATED);
  for (const id of ['s1', 's2']) {
    db.prepare("INSERT INTO sessions (id, exercise_id, owner, mode, created_at, input_json, meta_json, clock_at) VALUES (?, 'mine', 'u1', 'practice', ?, '{}', ?, ?)").run(
      id,
      CREATED,
      JSON.stringify({ exerciseText: TEXT, exerciseFile: 'mine.yaml' }),
      '2026-11-29T10:00:00.000Z',
    );
  }
  db.close();
}

describe('migration 6 (issue 16)', () => {
  it("moves sessions' copies of an exercise text into one row by hash, keeps the clock in epoch ms, and scopes exercise ids", async () => {
    version5();
    const store = new SqliteEventStore(file);
    const sha = exerciseTextDigest(TEXT);
    for (const id of ['s1', 's2']) {
      const meta = (await store.getSession(id))?.meta;
      expect(meta).toEqual({ exerciseSha256: sha, exerciseFile: 'mine.yaml' });
    }
    expect(await store.exerciseText(sha)).toBe(TEXT);
    await store.close();
    const raw = new Database(file);
    expect(raw.prepare('SELECT COUNT(*) AS n FROM exercise_texts').get()).toEqual({ n: 1 });
    expect(raw.prepare("SELECT clock_ms FROM sessions WHERE id = 's1'").get()).toEqual({ clock_ms: Date.parse('2026-11-29T10:00:00.000Z') });
    raw.close();
    const accounts = new SqliteAccountStore(file);
    expect((await accounts.getExercise('u1', 'mine'))?.text).toBe(TEXT);
    await accounts.close();
  });

  it('stores a text once however many times it is put', async () => {
    const store = new SqliteEventStore(file);
    const a = await store.putExerciseText(TEXT);
    expect(await store.putExerciseText(TEXT)).toBe(a);
    expect(await store.exerciseText(a)).toBe(TEXT);
    expect(await store.exerciseText('0'.repeat(64))).toBeNull();
    await store.close();
  });

  it('keeps a simulated clock past year 9999 across a restart (compared as a number, not as text)', async () => {
    const store = new SqliteEventStore(file);
    await createStoredSession(engine, store, cgnatTip(), { sessionId: 'far', createdAt: CREATED, owner: 'alice', exerciseId: null });
    expect((await store.append('far', 0, [], '9999-12-31T23:00:00.000Z')).ok).toBe(true);
    expect((await store.append('far', 0, [], '+010000-01-02T00:00:00.000Z')).ok).toBe(true);
    expect((await store.append('far', 0, [], '9999-12-31T23:30:00.000Z')).ok).toBe(true);
    await store.close();
    const reopened = new SqliteEventStore(file);
    expect((await reopened.getSession('far'))?.clockAt).toBe('+010000-01-02T00:00:00.000Z');
    await reopened.close();
  });
});
