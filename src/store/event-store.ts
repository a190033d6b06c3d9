// The event store (DESIGN §2, issue 6): an append-only log of audit records per session. The log is the
// truth; a session's state is rebuilt from it by replay. This interface is what callers use, so a Postgres
// implementation can sit beside the SQLite one without touching them.
import type { AuditRecord, SessionRecord } from '../engine/index.js';

export interface NewSession {
  id: string;
  /** The engine input the session started with (the tip, routing time, open file hashes). */
  input: SessionRecord['input'];
  exerciseId?: string | null;
  owner?: string | null;
  mode?: string;
  /**
   * Small JSON facts the shell wants kept with the session (exercise text, cohort, …). `forkOf`, a stored
   * session's id: this session replaces that one (a practice undo), which from this session's creation on
   * takes no more records (its appends are refused `replaced`, in the append's own transaction).
   */
  meta?: Record<string, unknown>;
  /**
   * With `meta.forkOf`: the last sequence of that session the fork was made from. The fork is refused
   * (StoreStaleError, nothing written) when that session has moved on since, so a record another instance
   * appended meanwhile is not left behind on the replaced session.
   */
  forkedAtSeq?: number;
  /** The session's first record (the engine's xstate.init), appended with the session. */
  first: AuditRecord;
  /** Wall-clock creation time, ISO (the shell's, not the simulated clock). */
  createdAt: string;
}

export interface StoredSession {
  id: string;
  input: SessionRecord['input'];
  exerciseId: string | null;
  owner: string | null;
  mode: string;
  meta: Record<string, unknown>;
  createdAt: string;
  /** Sequence number of the last record in the log. */
  lastSeq: number;
  /**
   * The session's simulated clock (ISO) when it last moved without a record (advancing past no timer), or
   * null. Replay sets the clock to the later of this and the last record's time.
   */
  clockAt: string | null;
  /**
   * The session a practice undo replaced this one with (its fork, whose meta.forkOf names this one), or null
   * while it is current. Set in the fork's own transaction; a replaced session is read-only.
   */
  replacedBy: string | null;
}

export type AppendResult =
  | { ok: true; lastSeq: number }
  | { ok: false; reason: 'stale'; lastSeq: number }
  /** A session created with `meta.forkOf` naming this one replaced it: the session that goes on. */
  | { ok: false; reason: 'replaced'; replacedBy: string }
  | { ok: false; reason: 'unknown-session' };

/** An information-only message delivered to a session (an inject that carries no machine event). */
export interface SessionMessage {
  injectId: string;
  /** Simulated time it arrived, ISO. */
  at: string;
  /** Who sent it (a user id). */
  sentBy: string;
}

export interface AppendedEvent {
  sessionId: string;
  /** A message delivered (with no records). */
  message?: SessionMessage;
  /** The records appended (none when only the clock moved). */
  records: readonly AuditRecord[];
  /** The session's simulated clock after the append, when the caller gave it. */
  clockAt?: string;
}

/** One append of a group (see `EventStore.appendMany`). */
export interface AppendRequest {
  sessionId: string;
  expectedLastSeq: number;
  records: readonly AuditRecord[];
  clockAt?: string;
}

export interface EventStore {
  /**
   * Creates a session with its first record; throws StoreConflictError if the id is taken, StoreStaleError if
   * the session it forks has moved past `forkedAtSeq`.
   */
  createSession(session: NewSession): Promise<StoredSession>;
  /**
   * Appends records after `expectedLastSeq`, all or nothing. A caller whose view is stale (someone else
   * appended first) gets `stale` with the current last sequence, as an HTTP 409 would. `clockAt` (ISO) is
   * the session's simulated time after these records, kept in the same transaction so a clock advanced
   * past no timer survives a restart.
   */
  append(sessionId: string, expectedLastSeq: number, records: readonly AuditRecord[], clockAt?: string): Promise<AppendResult>;
  /**
   * Several appends in one transaction, so one commit (one wait for the disk) serves them all: the server
   * groups the steps that arrive in one turn of its event loop. Each is checked and applied as `append` would,
   * in order (a later one may follow an earlier one of the same session); a stale or unknown one does not stop
   * the others. Rejects, with nothing written, when the transaction itself fails. An implementation may write
   * it off the event loop (the SQLite store's writer thread, a database server). Listeners hear of it after
   * the commit.
   */
  commitGroup(appends: readonly AppendRequest[]): Promise<AppendResult[]>;
  /** Keeps a message for the session once; false when that inject was already delivered (or no session). */
  addMessage(sessionId: string, message: SessionMessage): Promise<boolean>;
  /** The session's messages in the order they were sent, or null for an unknown session. */
  readMessages(sessionId: string): Promise<SessionMessage[] | null>;
  getSession(sessionId: string): Promise<StoredSession | null>;
  /**
   * Keeps an exercise's text once, however many sessions start from it, and returns its SHA-256 (hex), which
   * a session's meta carries as `exerciseSha256`.
   */
  putExerciseText(text: string): Promise<string>;
  /** An exercise text by its SHA-256, or null. */
  exerciseText(sha256: string): Promise<string | null>;
  /** The whole log in sequence order, or null for an unknown session. */
  readLog(sessionId: string): Promise<AuditRecord[] | null>;
  listSessions(filter?: { owner?: string; exerciseId?: string }): Promise<StoredSession[]>;
  /**
   * Called after every committed append the store learns of, in sequence order per session: this process's,
   * and, where several server instances share the store (PostgreSQL), the other instances' too, read back from
   * the store (a notification is only the wake-up; a missed one is caught up). Returns the unsubscribe function.
   */
  subscribe(listener: (event: AppendedEvent) => void): () => void;
  close(): Promise<void>;
}

export class StoreConflictError extends Error {
  override name = 'StoreConflictError';
}
/** A fork made from a session that has moved on since (see NewSession.forkedAtSeq). */
export class StoreStaleError extends StoreConflictError {
  override name = 'StoreStaleError';
  constructor(
    message: string,
    /** The forked session's last sequence now. */
    readonly lastSeq: number,
  ) {
    super(message);
  }
}
export class StoreIntegrityError extends Error {
  override name = 'StoreIntegrityError';
}
