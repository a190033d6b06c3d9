// Group commit: the appends asked for in one turn of the event loop are written in one transaction, so one
// wait for the disk (synchronous FULL's fsync) serves them all instead of one each. A step is answered only
// after its commit, so "acknowledged" still means "on disk". Appends of one session are serialised: while a
// session has an append in flight, `pending` gives its commit, which the next request of the session waits for
// (LiveSessions.exclusive), so a request never builds on records that are not yet stored.
import type { AppendRequest, AppendResult, EventStore } from '../store/event-store.js';

interface Queued {
  request: AppendRequest;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit {
  private queue: Queued[] = [];
  /** Per session, the commit its latest queued append waits for. */
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private scheduled = false;

  /** `defer` runs the flush after the current turn (setImmediate in the server; tests may flush by hand). */
  constructor(
    private readonly store: EventStore,
    private readonly defer: (flush: () => void) => void = (flush) => setImmediate(flush),
  ) {}

  /** Queues an append for the next group; resolves with its result once the group is committed. */
  append(request: AppendRequest): Promise<AppendResult> {
    const done = new Promise<AppendResult>((resolve, reject) => this.queue.push({ request, resolve, reject }));
    const settledDone = done.then(
      () => undefined,
      () => undefined,
    );
    this.inFlight.set(request.sessionId, settledDone);
    void settledDone.then(() => {
      if (this.inFlight.get(request.sessionId) === settledDone) this.inFlight.delete(request.sessionId);
    });
    if (!this.scheduled) {
      this.scheduled = true;
      this.defer(() => void this.flush());
    }
    return done;
  }

  /** The commit the session's last queued append waits for, or null when nothing of it is in flight. */
  pending(sessionId: string): Promise<unknown> | null {
    return this.inFlight.get(sessionId) ?? null;
  }

  /** Number of appends waiting for the next group (for tests and diagnostics). */
  get queued(): number {
    return this.queue.length;
  }

  /**
   * Writes every queued append in one transaction and settles their promises. While a group is being
   * committed the next one gathers; the store applies groups in the order they were flushed.
   */
  async flush(): Promise<void> {
    this.scheduled = false;
    const group = this.queue;
    this.queue = [];
    if (group.length === 0) return;
    let results: AppendResult[];
    try {
      results = await this.store.commitGroup(group.map((q) => q.request));
    } catch (error) {
      for (const q of group) q.reject(error);
      return;
    }
    group.forEach((q, i) => {
      const result = results[i];
      if (result === undefined) q.reject(new Error('internal: the store gave fewer results than appends'));
      else q.resolve(result);
    });
  }
}
