// Schema migrations for the SQLite store, applied in order and recorded in PRAGMA user_version. A step is
// SQL, or a function for what SQL alone cannot do (hashing); each runs in its own transaction.
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';

export type Migration = string | ((db: Database.Database) => void);

/** The key an exercise text is stored under (sessions' meta carries it as exerciseSha256). */
export const exerciseTextDigest = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * 6 (issue 16): exercise texts stored once by hash, not copied into every session's meta; attempts (failed
 * logins, join codes, password changes) kept in the store so a restart does not forget them; the simulated
 * clock in epoch milliseconds (ISO text compares wrong past year 9999); exercise ids scoped per instructor.
 */
function hardening(db: Database.Database): void {
  db.exec(`
  CREATE TABLE exercise_texts (
    sha256 TEXT PRIMARY KEY,
    text   TEXT NOT NULL
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE attempts (
    key   TEXT    NOT NULL,
    at_ms INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX attempts_key ON attempts(key, at_ms);

  ALTER TABLE sessions ADD COLUMN clock_ms INTEGER;
  UPDATE sessions SET clock_ms = CAST(ROUND((julianday(clock_at) - 2440587.5) * 86400000) AS INTEGER) WHERE clock_at IS NOT NULL;

  CREATE TABLE exercises_scoped (
    id            TEXT NOT NULL,
    instructor_id TEXT NOT NULL REFERENCES users(id),
    file_name     TEXT NOT NULL,
    text          TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    PRIMARY KEY (instructor_id, id)
  ) STRICT;
  INSERT INTO exercises_scoped SELECT id, instructor_id, file_name, text, created_at FROM exercises;
  DROP TABLE exercises;
  ALTER TABLE exercises_scoped RENAME TO exercises;
  `);
  const sessions = db.prepare<[], { id: string; meta_json: string }>("SELECT id, meta_json FROM sessions WHERE json_type(meta_json, '$.exerciseText') = 'text'").all();
  const putText = db.prepare<[string, string]>('INSERT OR IGNORE INTO exercise_texts (sha256, text) VALUES (?, ?)');
  const setMeta = db.prepare<[string, string]>('UPDATE sessions SET meta_json = ? WHERE id = ?');
  for (const row of sessions) {
    const { exerciseText, ...meta } = JSON.parse(row.meta_json) as Record<string, unknown>;
    if (typeof exerciseText !== 'string') continue;
    const sha256 = exerciseTextDigest(exerciseText);
    putText.run(sha256, exerciseText);
    setMeta.run(JSON.stringify({ ...meta, exerciseSha256: sha256 }), row.id);
  }
}

export const MIGRATIONS: readonly Migration[] = [
  `
  CREATE TABLE sessions (
    id          TEXT PRIMARY KEY,
    exercise_id TEXT,
    owner       TEXT,
    mode        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    input_json  TEXT NOT NULL,
    meta_json   TEXT NOT NULL
  ) STRICT;
  CREATE INDEX sessions_owner ON sessions(owner);
  CREATE INDEX sessions_exercise ON sessions(exercise_id);

  CREATE TABLE events (
    session_id TEXT    NOT NULL REFERENCES sessions(id),
    seq        INTEGER NOT NULL,
    at         TEXT    NOT NULL,
    event_id   TEXT    NOT NULL,
    actor      TEXT    NOT NULL,
    event_json TEXT    NOT NULL,
    from_json  TEXT,
    to_json    TEXT    NOT NULL,
    PRIMARY KEY (session_id, seq),
    UNIQUE (session_id, event_id)
  ) STRICT, WITHOUT ROWID;

  -- The log is append-only: no statement may change or remove a record.
  CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
  CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
  `,
  // 2: accounts, bearer tokens (stored as hashes), cohorts and their members (issue 6).
  `
  CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL CHECK (role IN ('instructor', 'trainee')),
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL
  ) STRICT;

  CREATE TABLE tokens (
    hash       TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX tokens_user ON tokens(user_id);

  CREATE TABLE cohorts (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    instructor_id TEXT NOT NULL REFERENCES users(id),
    join_code     TEXT NOT NULL UNIQUE,
    created_at    TEXT NOT NULL
  ) STRICT;
  CREATE INDEX cohorts_instructor ON cohorts(instructor_id);

  CREATE TABLE memberships (
    cohort_id TEXT NOT NULL REFERENCES cohorts(id),
    user_id   TEXT NOT NULL REFERENCES users(id),
    PRIMARY KEY (cohort_id, user_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX memberships_user ON memberships(user_id);
  `,
  // 3: uploaded exercises, exercises assigned to cohorts, and released debriefs (issue 6).
  `
  CREATE TABLE exercises (
    id            TEXT PRIMARY KEY,
    instructor_id TEXT NOT NULL REFERENCES users(id),
    file_name     TEXT NOT NULL,
    text          TEXT NOT NULL,
    created_at    TEXT NOT NULL
  ) STRICT;
  CREATE INDEX exercises_instructor ON exercises(instructor_id);

  CREATE TABLE assignments (
    cohort_id   TEXT NOT NULL REFERENCES cohorts(id),
    exercise_id TEXT NOT NULL,
    assigned_at TEXT NOT NULL,
    PRIMARY KEY (cohort_id, exercise_id)
  ) STRICT, WITHOUT ROWID;

  -- exercise_id '*' releases the debriefs of every exercise of the cohort.
  CREATE TABLE releases (
    cohort_id   TEXT NOT NULL REFERENCES cohorts(id),
    exercise_id TEXT NOT NULL,
    released_at TEXT NOT NULL,
    PRIMARY KEY (cohort_id, exercise_id)
  ) STRICT, WITHOUT ROWID;
  `,
  // 4: the simulated clock of a session, which moves on without a record when no timer falls due (issue 6).
  `
  ALTER TABLE sessions ADD COLUMN clock_at TEXT;
  `,
  // 5: information-only messages an instructor sent to a session (injects without a machine event).
  `
  CREATE TABLE messages (
    session_id TEXT NOT NULL REFERENCES sessions(id),
    inject_id  TEXT NOT NULL,
    at         TEXT NOT NULL,
    sent_by    TEXT NOT NULL,
    PRIMARY KEY (session_id, inject_id)
  ) STRICT;
  CREATE TRIGGER messages_append_only_update BEFORE UPDATE ON messages
    BEGIN SELECT RAISE(ABORT, 'messages are append-only'); END;
  CREATE TRIGGER messages_append_only_delete BEFORE DELETE ON messages
    BEGIN SELECT RAISE(ABORT, 'messages are append-only'); END;
  `,
  // 6: exercise texts by hash, persisted attempts, the clock in epoch ms, exercise ids per instructor (issue 16).
  hardening,
  // 7: a cohort's assessment clock (DESIGN §10): the pace that overrides its exercises' own, and pause.
  `
  CREATE TABLE cohort_clocks (
    cohort_id TEXT PRIMARY KEY REFERENCES cohorts(id),
    pace      TEXT,
    paused    INTEGER NOT NULL,
    since     TEXT NOT NULL
  ) STRICT;
  `,
  // 8: an assignment's mode and assessment attempts, and the attempts an instructor granted (issue 14).
  `
  ALTER TABLE assignments ADD COLUMN mode TEXT NOT NULL DEFAULT 'both' CHECK (mode IN ('practice', 'assessment', 'both'));
  ALTER TABLE assignments ADD COLUMN attempts INTEGER NOT NULL DEFAULT 1 CHECK (attempts >= 1);

  CREATE TABLE attempt_grants (
    cohort_id   TEXT NOT NULL REFERENCES cohorts(id),
    exercise_id TEXT NOT NULL,
    trainee_id  TEXT NOT NULL REFERENCES users(id),
    granted_at  TEXT NOT NULL,
    granted_by  TEXT NOT NULL REFERENCES users(id)
  ) STRICT;
  CREATE INDEX attempt_grants_cohort ON attempt_grants(cohort_id);
  CREATE TRIGGER attempt_grants_append_only_update BEFORE UPDATE ON attempt_grants
    BEGIN SELECT RAISE(ABORT, 'attempt grants are append-only'); END;
  CREATE TRIGGER attempt_grants_append_only_delete BEFORE DELETE ON attempt_grants
    BEGIN SELECT RAISE(ABORT, 'attempt grants are append-only'); END;
  `,
  // 9: when a practice session's debrief is shown: once the instructor releases it, or at the tip's close (issue 14).
  `
  ALTER TABLE assignments ADD COLUMN practice_debrief TEXT NOT NULL DEFAULT 'on-release' CHECK (practice_debrief IN ('on-release', 'at-close'));
  `,
  // 10: a cohort's improvement plan (HSEEP IP, DESIGN §14): the corrective actions the instructor agreed, in their order (issue 18).
  `
  CREATE TABLE improvement_plan (
    id         TEXT PRIMARY KEY,
    cohort_id  TEXT NOT NULL REFERENCES cohorts(id),
    position   INTEGER NOT NULL,
    action     TEXT NOT NULL,
    capability TEXT NOT NULL,
    owner      TEXT NOT NULL,
    due        TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX improvement_plan_cohort ON improvement_plan(cohort_id, position);
  `,
  // 11: accounts that can be recovered (issue 18): a display name apart from the sign-in name, and a password an
  // instructor reset, to be changed at the next sign-in.
  `
  ALTER TABLE users ADD COLUMN display_name TEXT;
  ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1));
  `,
  // 12: the session that replaced this one (a practice undo's fork, whose meta.forkOf names it), set with the
  // fork, so an append refuses a replaced session in its own transaction (issue 19: on PostgreSQL an undo on
  // one instance and a step on another may meet); sessions forked before are marked from their forks.
  `
  ALTER TABLE sessions ADD COLUMN replaced_by TEXT;
  UPDATE sessions SET replaced_by = (SELECT f.id FROM sessions AS f WHERE json_extract(f.meta_json, '$.forkOf') = sessions.id AND f.id != sessions.id ORDER BY f.created_at, f.id LIMIT 1);
  `,
];
