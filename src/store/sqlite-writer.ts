// A SQLite event store's writer thread, seen from the main thread: `apply` sends a group of appends and
// resolves once it is committed on disk. better-sqlite3 is synchronous, so a commit on the main thread stops
// the event loop for the disk's sync (synchronous FULL); on this thread other requests go on meanwhile.
import { Worker } from 'node:worker_threads';
import { workerEntry, workerExecArgv } from '../io/worker-entry.js';
import { StoreIntegrityError, type AppendRequest } from './event-store.js';
import type { GroupOutcome } from './sqlite-append.js';
import type { Durability } from './sqlite-database.js';

export interface WriterRequest {
  id: number;
  appends: readonly AppendRequest[];
}
export type WriterReply = ({ id: number; ok: true } & GroupOutcome) | { id: number; ok: false; error: string; name: string };

/** The thread stopped with the group unanswered: it may or may not have committed it. */
export class WriterStoppedError extends Error {
  override readonly name = 'WriterStoppedError';
}

export class SqliteWriter {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: (outcome: GroupOutcome) => void; reject: (error: Error) => void }>();
  private nextId = 0;
  private failure: Error | null = null;
  /** Groups the thread committed (or refused) so far: 0 when it stopped means it never worked at all. */
  answered = 0;

  constructor(file: string, durability: Durability) {
    this.worker = new Worker(workerEntry(import.meta.url, 'sqlite-writer-worker.js', "the store's writer thread"), { workerData: { file, durability }, execArgv: workerExecArgv() });
    this.worker.on('message', (reply: WriterReply) => {
      const waiter = this.waiting.get(reply.id);
      if (waiter === undefined) return;
      this.waiting.delete(reply.id);
      this.answered += 1;
      if (reply.ok) waiter.resolve({ results: reply.results, heard: reply.heard });
      else waiter.reject(reply.name === 'StoreIntegrityError' ? new StoreIntegrityError(reply.error) : new Error(reply.error));
    });
    // A thread that dies takes nothing acknowledged with it: every group it had not answered fails with
    // WriterStoppedError, for the store to settle from what the file holds.
    this.worker.on('error', (error) => this.fail(new WriterStoppedError(`the store's writer thread stopped: ${error.message}`)));
    this.worker.on('exit', (code) => this.fail(new WriterStoppedError(`the store's writer thread stopped (exit ${code})`)));
  }

  /** Commits a group of appends on the writer thread; resolves when it is on disk. */
  apply(appends: readonly AppendRequest[]): Promise<GroupOutcome> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<GroupOutcome>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, appends } satisfies WriterRequest);
    });
  }

  /** Whether the thread stopped (or was closed): it takes no more groups, and a new one is needed. */
  get stopped(): boolean {
    return this.failure !== null;
  }

  /** Lets the thread finish what it was sent, then close its connection. */
  close(): void {
    if (this.failure === null) this.worker.postMessage('close');
    this.failure ??= new Error('the store is closed');
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }
}
