// Schema migrations for the SQLite store, applied in order and recorded in PRAGMA user_version.
export const MIGRATIONS: readonly string[] = [
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
];
