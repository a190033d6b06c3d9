// Schema migrations for the PostgreSQL store, applied in order at open and recorded in schema_version. Every
// instance migrates when it opens; an advisory lock, taken before anything is read, makes two instances that
// open at once apply each step once (the second waits, then finds nothing to do).
import type { Pool } from 'pg';
import { StoreIntegrityError } from './event-store.js';

/** Text compares byte by byte ("C"), as SQLite's does, so lists come back in the same order on both stores. */
const T = 'TEXT COLLATE "C"';

/** The lock every migrating instance takes (an arbitrary constant: "tipf" in ASCII). */
const MIGRATION_LOCK = 0x74697066;

/**
 * One step per schema version. Version 1 is the whole of SQLite's schema after its migration 9, with what
 * several writers need besides: a session row keeps its last sequence, message count and a change counter
 * (`version`, raised by every change a listener hears of), so an append locks one row and an instance that
 * missed a notification sees what changed.
 */
export const PG_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE sessions (
    id          ${T} PRIMARY KEY,
    exercise_id ${T},
    owner       ${T},
    mode        ${T} NOT NULL,
    created_at  ${T} NOT NULL,
    input_json  TEXT NOT NULL,
    meta_json   TEXT NOT NULL,
    clock_at    ${T},
    clock_ms    BIGINT,
    last_seq    INTEGER NOT NULL,
    messages    INTEGER NOT NULL DEFAULT 0,
    version     BIGINT NOT NULL DEFAULT 1
  );
  CREATE INDEX sessions_owner ON sessions(owner);
  CREATE INDEX sessions_exercise ON sessions(exercise_id);

  CREATE TABLE events (
    session_id ${T} NOT NULL REFERENCES sessions(id),
    seq        INTEGER NOT NULL,
    at         ${T} NOT NULL,
    event_id   ${T} NOT NULL,
    actor      ${T} NOT NULL,
    event_json TEXT NOT NULL,
    from_json  TEXT,
    to_json    TEXT NOT NULL,
    PRIMARY KEY (session_id, seq),
    UNIQUE (session_id, event_id)
  );

  CREATE TABLE messages (
    session_id ${T} NOT NULL REFERENCES sessions(id),
    n          INTEGER NOT NULL,
    inject_id  ${T} NOT NULL,
    at         ${T} NOT NULL,
    sent_by    ${T} NOT NULL,
    PRIMARY KEY (session_id, inject_id),
    UNIQUE (session_id, n)
  );

  CREATE TABLE exercise_texts (
    sha256 ${T} PRIMARY KEY,
    text   TEXT NOT NULL
  );

  -- The log, the messages and the grants are append-only: no statement may change or remove a row.
  CREATE FUNCTION tipflow_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION '% are append-only', TG_ARGV[0]; END
  $$;
  CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION tipflow_append_only('events');
  CREATE TRIGGER messages_append_only BEFORE UPDATE OR DELETE ON messages
    FOR EACH ROW EXECUTE FUNCTION tipflow_append_only('messages');

  CREATE TABLE users (
    id            ${T} PRIMARY KEY,
    name          ${T} NOT NULL UNIQUE,
    role          ${T} NOT NULL CHECK (role IN ('instructor', 'trainee')),
    password_hash TEXT NOT NULL,
    created_at    ${T} NOT NULL
  );

  CREATE TABLE tokens (
    hash       ${T} PRIMARY KEY,
    user_id    ${T} NOT NULL REFERENCES users(id),
    created_at ${T} NOT NULL,
    expires_at ${T} NOT NULL
  );
  CREATE INDEX tokens_user ON tokens(user_id);

  CREATE TABLE cohorts (
    id            ${T} PRIMARY KEY,
    name          ${T} NOT NULL,
    instructor_id ${T} NOT NULL REFERENCES users(id),
    join_code     ${T} NOT NULL UNIQUE,
    created_at    ${T} NOT NULL
  );
  CREATE INDEX cohorts_instructor ON cohorts(instructor_id);

  CREATE TABLE memberships (
    cohort_id ${T} NOT NULL REFERENCES cohorts(id),
    user_id   ${T} NOT NULL REFERENCES users(id),
    PRIMARY KEY (cohort_id, user_id)
  );
  CREATE INDEX memberships_user ON memberships(user_id);

  CREATE TABLE exercises (
    id            ${T} NOT NULL,
    instructor_id ${T} NOT NULL REFERENCES users(id),
    file_name     ${T} NOT NULL,
    text          TEXT NOT NULL,
    created_at    ${T} NOT NULL,
    PRIMARY KEY (instructor_id, id)
  );

  CREATE TABLE assignments (
    cohort_id        ${T} NOT NULL REFERENCES cohorts(id),
    exercise_id      ${T} NOT NULL,
    assigned_at      ${T} NOT NULL,
    mode             ${T} NOT NULL DEFAULT 'both' CHECK (mode IN ('practice', 'assessment', 'both')),
    attempts         INTEGER NOT NULL DEFAULT 1 CHECK (attempts >= 1),
    practice_debrief ${T} NOT NULL DEFAULT 'on-release' CHECK (practice_debrief IN ('on-release', 'at-close')),
    PRIMARY KEY (cohort_id, exercise_id)
  );

  -- exercise_id '*' releases the debriefs of every exercise of the cohort.
  CREATE TABLE releases (
    cohort_id   ${T} NOT NULL REFERENCES cohorts(id),
    exercise_id ${T} NOT NULL,
    released_at ${T} NOT NULL,
    PRIMARY KEY (cohort_id, exercise_id)
  );

  CREATE TABLE attempt_grants (
    n           BIGSERIAL PRIMARY KEY,
    cohort_id   ${T} NOT NULL REFERENCES cohorts(id),
    exercise_id ${T} NOT NULL,
    trainee_id  ${T} NOT NULL REFERENCES users(id),
    granted_at  ${T} NOT NULL,
    granted_by  ${T} NOT NULL REFERENCES users(id)
  );
  CREATE INDEX attempt_grants_cohort ON attempt_grants(cohort_id);
  CREATE TRIGGER attempt_grants_append_only BEFORE UPDATE OR DELETE ON attempt_grants
    FOR EACH ROW EXECUTE FUNCTION tipflow_append_only('attempt grants');

  CREATE TABLE cohort_clocks (
    cohort_id ${T} PRIMARY KEY REFERENCES cohorts(id),
    pace      ${T},
    paused    BOOLEAN NOT NULL,
    since     ${T} NOT NULL
  );

  -- A key is the server's own string of parts joined by NUL, which TEXT cannot hold: kept as its UTF-8 bytes.
  CREATE TABLE attempts (
    key   BYTEA NOT NULL,
    at_ms BIGINT NOT NULL
  );
  CREATE INDEX attempts_key ON attempts(key, at_ms);
  `,
  // 2: SQLite's migrations 10 and 11 (issue 18): a cohort's improvement plan, and accounts that can be recovered
  // (a display name apart from the sign-in name; a password an instructor reset, to be changed at the next sign-in).
  `
  CREATE TABLE improvement_plan (
    id         ${T} PRIMARY KEY,
    cohort_id  ${T} NOT NULL REFERENCES cohorts(id),
    position   INTEGER NOT NULL,
    action     TEXT NOT NULL,
    capability TEXT NOT NULL,
    owner      TEXT NOT NULL,
    due        ${T},
    created_at ${T} NOT NULL,
    updated_at ${T} NOT NULL
  );
  CREATE INDEX improvement_plan_cohort ON improvement_plan(cohort_id, position);
  ALTER TABLE users ADD COLUMN display_name TEXT;
  ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;
  `,
  // 3: which transaction changed a session last (pg-feed.ts's poll reads only the sessions changed since the
  // oldest transaction that was running at its last poll, through the index, not every session). A trigger sets
  // it, so every writer does, whatever its statement; rows from before stay 0 (older than any poll's horizon).
  `
  ALTER TABLE sessions ADD COLUMN changed_xid xid8 NOT NULL DEFAULT '0';
  CREATE INDEX sessions_changed ON sessions(changed_xid);
  CREATE FUNCTION tipflow_session_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN NEW.changed_xid := pg_current_xact_id(); RETURN NEW; END
  $$;
  CREATE TRIGGER sessions_changed BEFORE INSERT OR UPDATE ON sessions
    FOR EACH ROW EXECUTE FUNCTION tipflow_session_changed();
  `,
  // 4: the session that replaced this one (a practice undo's fork, whose meta.forkOf names it), set with the
  // fork, so an append, which locks the session's row, refuses a replaced session in its own transaction;
  // sessions forked before are marked from their forks.
  `
  ALTER TABLE sessions ADD COLUMN replaced_by ${T};
  UPDATE sessions AS s SET replaced_by = f.id FROM sessions AS f WHERE f.meta_json::json ->> 'forkOf' = s.id AND f.id != s.id;
  `,
];

/** The oldest PostgreSQL the schema runs on: migration 3 needs xid8 and pg_current_xact_id() (PostgreSQL 13). */
export const OLDEST_SERVER = 130_000;

/** Why a server (its `server_version_num`, and `server_version` as it says it) cannot hold a tipflow database, or null. */
export function tooOldServer(versionNum: number, version: string): string | null {
  if (versionNum >= OLDEST_SERVER) return null;
  return `tipflow needs PostgreSQL 13 or later; this server is ${version}`;
}

/** Brings the database up to this version's schema, once however many instances open it at the same time. */
export async function migratePg(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    const server = (await client.query<{ num: string; version: string }>("SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS version")).rows[0];
    const tooOld = tooOldServer(Number(server?.num), server?.version ?? 'of an unknown version');
    if (tooOld !== null) throw new StoreIntegrityError(tooOld);
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
    const rows = (await client.query<{ version: number }>('SELECT version FROM schema_version')).rows;
    const current = rows[0]?.version ?? 0;
    if (current > PG_MIGRATIONS.length) {
      throw new StoreIntegrityError(`the database was written by a newer tipflow (schema ${current}; this one knows ${PG_MIGRATIONS.length})`);
    }
    for (let version = current; version < PG_MIGRATIONS.length; version += 1) await client.query(PG_MIGRATIONS[version] ?? '');
    if (rows.length === 0) await client.query('INSERT INTO schema_version (version) VALUES ($1)', [PG_MIGRATIONS.length]);
    else await client.query('UPDATE schema_version SET version = $1', [PG_MIGRATIONS.length]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
