// `tipflow db copy`: a classroom from SQLite into PostgreSQL and back into a new SQLite file, verified by
// replaying every session; an occupied target is refused; a bad or unreachable database is said plainly.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { dbCopyCommand } from '../../../src/cli/commands/db-copy.js';
import { runAutoDriver } from '../../../src/engine/index.js';
import { copyStores, verifyCopy } from '../../../src/store/copy.js';
import type { EventStore } from '../../../src/store/event-store.js';
import { openStores, type OpenedStores } from '../../../src/store/open.js';
import { createStoredSession, persistNewRecords } from '../../../src/store/sessions.js';
import { cgnatTip, DAY, engine, houstonTip } from '../../engine/helpers.js';
import { describeContract } from './stores.js';

/** What a spied-on stream was given, read before the spy is restored (restoring forgets the calls). */
const written = (spy: { mock: { calls: unknown[][] } }): string[] => spy.mock.calls.map((call) => String(call[0]));

const AT = '2026-11-29T09:00:00.000Z';
const LATER = '2026-11-29T10:00:00.000Z';
const TEXT = 'format: tipflow.exercise/1\nid: mine\n';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tipflow-copy-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A small classroom: an instructor and two trainees, a cohort with everything a cohort has, three sessions. */
async function classroom({ events, accounts }: OpenedStores): Promise<void> {
  await accounts.createUser({ id: 'u1', name: 'teacher', role: 'instructor', passwordHash: 'scrypt$hash-1', createdAt: AT });
  await accounts.createUser({ id: 't1', name: 'alice', role: 'trainee', passwordHash: 'scrypt$hash-2', createdAt: LATER });
  await accounts.createUser({ id: 't2', name: 'bob', displayName: 'Officer Bob', role: 'trainee', passwordHash: 'scrypt$hash-3', createdAt: LATER });
  await accounts.resetPassword('t2', 'scrypt$one-time');
  await accounts.createCohort({ id: 'c1', name: 'Morning', instructorId: 'u1', joinCode: 'ABCDEFGH', createdAt: AT });
  await accounts.addMember('c1', 't1');
  await accounts.addMember('c1', 't2');
  await accounts.createExercise({ id: 'mine', instructorId: 'u1', fileName: 'mine.yaml', text: TEXT, createdAt: AT });
  await accounts.assign({ cohortId: 'c1', exerciseId: 'mine', assignedAt: AT, mode: 'assessment', attempts: 2, practiceDebrief: 'at-close' });
  await accounts.grantAttempt({ cohortId: 'c1', exerciseId: 'mine', traineeId: 't1', grantedAt: LATER, grantedBy: 'u1' });
  await accounts.release({ cohortId: 'c1', exerciseId: null, releasedAt: LATER });
  await accounts.setCohortClock({ cohortId: 'c1', pace: 6, paused: true, since: LATER });
  await accounts.replaceImprovementPlan('c1', [{ id: 'r1', action: 'Caveat refresher', capability: 'geolocation', owner: 'Training unit', due: '2027-01-15' }, { id: 'r2', action: 'Referral drill', capability: 'referral', owner: '', due: null }], LATER);
  await accounts.createToken({ hash: 'token', userId: 't1', createdAt: AT, expiresAt: '2099-01-01T00:00:00.000Z' });
  const sha = await events.putExerciseText(TEXT);
  const a = (await createStoredSession(engine, events, cgnatTip(), { sessionId: 's-a', createdAt: AT, owner: 't1', exerciseId: 'mine', mode: 'assessment', meta: { exerciseSha256: sha, cohortId: 'c1' } })).session;
  runAutoDriver(engine, a);
  engine.send(a, { type: 'PRESERVATION.CONFIRMED' }, { actor: 'instructor', eventId: 'keep-1' });
  engine.advance(a, 100 * DAY);
  await persistNewRecords(events, a, 0);
  await events.addMessage('s-a', { injectId: 'nudge-2', at: a.now, sentBy: 'u1' });
  await events.addMessage('s-a', { injectId: 'nudge-1', at: a.now, sentBy: 'u1' });
  const b = (await createStoredSession(engine, events, houstonTip(), { sessionId: 's-b', createdAt: LATER, owner: 't2' })).session;
  engine.advance(b, 60_000); // a clock moved past no timer, with no record
  await persistNewRecords(events, b, 0);
  await createStoredSession(engine, events, houstonTip(), { sessionId: 's-c', createdAt: LATER, owner: 't2' });
  // An undo's fork of s-c, listed before it (the same time, an id that sorts first): the copy must still mark s-c replaced.
  await createStoredSession(engine, events, houstonTip(), { sessionId: 's-bb', createdAt: LATER, owner: 't2', meta: { forkOf: 's-c' } });
  expect((await events.getSession('s-c'))?.replacedBy).toBe('s-bb');
}

/** Everything a copy carries, read through the store contract (tokens and attempts are not carried). */
async function contents({ events, accounts }: OpenedStores): Promise<unknown> {
  const cohorts = await accounts.listCohorts();
  const sessions = await events.listSessions();
  return {
    users: await accounts.listUsers(),
    cohorts: await Promise.all(
      cohorts.map(async (c) => ({
        c,
        members: await accounts.members(c.id),
        assignments: await accounts.assignments(c.id),
        grants: await accounts.grants(c.id),
        releases: await accounts.releases(c.id),
        clock: await accounts.cohortClock(c.id),
        plan: await accounts.improvementPlan(c.id),
      })),
    ),
    exercises: await accounts.exercisesOfInstructor('u1'),
    sessions: await Promise.all(sessions.map(async (s) => ({ s, log: await events.readLog(s.id), messages: await events.readMessages(s.id), text: await events.exerciseText(String(s.meta['exerciseSha256'])) }))),
  };
}

describeContract(
  'tipflow db copy',
  (db) => {
    it('copies a classroom from SQLite into PostgreSQL and back into a new SQLite file, every session replayed and the same', async () => {
      const source = join(dir, 'source.db');
      const back = join(dir, 'back.db');
      const original = await openStores(source);
      await classroom(original);
      const expected = await contents(original);
      await original.close();
      const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
      const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
      let said: { out: string; err: string };
      try {
        expect(await dbCopyCommand({ from: source, to: db().location })).toBe(0);
        expect(await dbCopyCommand({ from: db().location, to: back })).toBe(0);
        said = { out: written(stdout).join(''), err: written(stderr).join('') };
      } finally {
        stderr.mockRestore();
        stdout.mockRestore();
      }
      expect(said.out).toMatch(/copied 3 accounts, 1 cohorts \(2 memberships\), 1 uploads, 1 assignments, 1 grants, 1 releases, 2 improvement plan rows, 1 clocks, 4 sessions \(\d+ records, 2 messages, 1 exercise texts\); every session replays the same/);
      expect(said.err).toMatch(/verified: 4\/4/);
      const inPostgres = await db().open();
      expect(await contents(inPostgres)).toEqual(expected);
      // Sign-ins are not carried over: everyone signs in again on the new database.
      expect(await inPostgres.accounts.userForToken('token', AT)).toBeNull();
      const inSqlite = await openStores(back);
      try {
        expect(await contents(inSqlite)).toEqual(expected);
      } finally {
        await inSqlite.close();
      }
    });

    it('refuses a target that has accounts or sessions already, unless told to keep them', async () => {
      const source = join(dir, 'source.db');
      const original = await openStores(source);
      await classroom(original);
      await original.close();
      const target = await db().open();
      await target.accounts.createUser({ id: 'u1', name: 'teacher', role: 'instructor', passwordHash: 'theirs', createdAt: AT });
      const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
      const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
      try {
        expect(await dbCopyCommand({ from: source, to: db().location })).toBe(1);
        expect(written(stderr).join('')).toMatch(/already has accounts or sessions: copy into an empty database, or pass --into-non-empty/);
        expect(await target.accounts.countUsers()).toBe(1);
        expect(await dbCopyCommand({ from: source, to: db().location, intoNonEmpty: true })).toBe(0);
      } finally {
        stderr.mockRestore();
        stdout.mockRestore();
      }
      expect((await target.accounts.findUserByName('teacher'))?.passwordHash).toBe('theirs');
      expect(await target.accounts.countUsers()).toBe(3);
      expect((await target.events.listSessions()).map((s) => s.id)).toEqual(['s-a', 's-b', 's-bb', 's-c']);
    });
  },
  'postgresql',
);

it('says what to check when the PostgreSQL server cannot be reached or the URL does not parse, without a stack trace', async () => {
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  let said: string[];
  try {
    // Port 1 on the loopback: nothing listens there.
    expect(await dbCopyCommand({ from: join(dir, 'a.db'), to: 'postgres://tipflow@127.0.0.1:1/tipflow' })).toBe(1);
    expect(await dbCopyCommand({ from: join(dir, 'a.db'), to: 'postgres://tipflow@[nope/tipflow' })).toBe(1);
    expect(await dbCopyCommand({ from: join(dir, 'a.db'), to: join(dir, 'b.db'), pool: 'lots' })).toBe(2);
    said = written(stderr);
  } finally {
    stderr.mockRestore();
  }
  expect(said[0]).toBe('tipflow db copy: cannot reach PostgreSQL at 127.0.0.1:1/tipflow as tipflow: the connection was refused. Is the server running, and listening on that host and port?\n');
  expect(said[1]).toMatch(/^tipflow db copy: the database URL does not parse: write it as postgres:\/\/user:password@host:port\/database/);
  expect(said[2]).toMatch(/--pool must be a number of connections/);
  expect(said.join('')).not.toMatch(/\n\s+at /);
});

describeContract(
  'db copy verification',
  (db) => {
    it('finds a copied session whose records, clock or messages differ from the source', async () => {
      const source = await openStores(join(dir, 'source.db'));
      try {
        await classroom(source);
        const target = await db().open();
        const { sessionIds } = await copyStores(source, target, () => undefined);
        expect(await verifyCopy(engine, source, target, sessionIds, () => undefined)).toEqual([]);
        // A target that answers with one record changed, and without a message.
        const tampered: EventStore = Object.create(target.events, {
          readLog: { value: async (id: string) => ((await target.events.readLog(id)) ?? []).map((r) => (id === 's-a' && r.seq === 2 ? { ...r, actor: 'instructor' } : r)) },
          readMessages: { value: async (id: string) => ((await target.events.readMessages(id)) ?? []).slice(1) },
        }) as EventStore;
        const differences = await verifyCopy(engine, source, { events: tampered, accounts: target.accounts }, sessionIds, () => undefined);
        expect(differences).toEqual(expect.arrayContaining([{ sessionId: 's-a', what: 'record #2 differs' }, { sessionId: 's-a', what: 'its messages differ' }]));
      } finally {
        await source.close();
      }
    });
  },
  'postgresql',
);
