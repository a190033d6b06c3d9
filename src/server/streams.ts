// Server-sent event streams: a session's or a cohort's appends as they are stored, and the class notices
// that are not session records (a trainee joined a cohort, debriefs were released). The open streams are
// kept so a graceful shutdown can end them.
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import type { AppendedEvent, EventStore } from '../store/event-store.js';

/**
 * Streamed to the cohort's instructor (joined), to its trainees' session streams (released, withdrawn), and to the
 * stream of a session a practice undo replaced, naming the session that goes on in its place (replaced).
 */
export type ClassNotice =
  | { kind: 'joined'; cohortId: string; trainee: { id: string; name: string } }
  | { kind: 'released'; cohortId: string; exerciseId: string | null }
  | { kind: 'withdrawn'; cohortId: string; exerciseId: string | null }
  | { kind: 'replaced'; sessionId: string; by: string };

/** Whether a stream wants an append or a notice: may ask the store (then the stream's events keep their order). */
export type Wanted<T> = (item: T) => boolean | Promise<boolean>;

export interface Streams {
  /** Opens a server-sent event stream that forwards the appends `wanted` accepts. */
  openStream(req: Request, res: Response, ready: unknown, wanted: Wanted<AppendedEvent>, noticeWanted?: Wanted<ClassNotice>): void;
  /** Tells every open stream that wants it about a class happening, on this instance and the others. */
  notice(n: ClassNotice): void;
  /** Tells this instance's open streams of a notice (heard from the store's signals). */
  hear(n: ClassNotice): void;
  /**
   * Ends every open event stream, to be opened again by its page, which then reads again what it shows (notices
   * from the other instances may have been missed).
   */
  reopenStreams(): void;
  /** Ends every open event stream (graceful shutdown). */
  closeStreams(): void;
}

/** Open event streams one user may hold at once (tabs, the inspector, a cohort page); one more is answered 429. */
export const MAX_STREAMS_PER_USER = 10;

export function createStreams({ events, logger, send }: { events: EventStore; logger: Logger; send?: (n: ClassNotice) => void }): Streams {
  const streams = new Set<Response>();
  const openPerUser = new Map<string, number>();
  // Class happenings that are not session records: a trainee joined a cohort, debriefs were released.
  const noticeListeners = new Set<(n: ClassNotice) => void>();
  const hear = (n: ClassNotice): void => {
    for (const listener of noticeListeners) listener(n);
  };
  // Through the store's signals (which tell this instance at once) when there are several instances.
  const notice = send ?? hear;
  // Listening from the start: a store that hears other instances (PostgreSQL) takes its baseline now, not when
  // the first stream opens, so no write of another instance falls between a stream's ready and its feed.
  const keepListening = events.subscribe(() => undefined);

  /** Opens a server-sent event stream that forwards the appends `wanted` accepts. */
  function openStream(req: Request, res: Response, ready: unknown, wanted: Wanted<AppendedEvent>, noticeWanted: Wanted<ClassNotice> = () => false): void {
    // Each stream costs every append a listener call: one user cannot hold the whole server's attention.
    const userId = (res.locals.auth as { user?: { id?: string } } | undefined)?.user?.id ?? '';
    const open = openPerUser.get(userId) ?? 0;
    if (open >= MAX_STREAMS_PER_USER) {
      res.status(429).json({ error: `at most ${MAX_STREAMS_PER_USER} open event streams per user; close another page first` });
      return;
    }
    openPerUser.set(userId, open + 1);
    res.status(200).set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.flushHeaders();
    res.write(`event: ready\ndata: ${JSON.stringify(ready)}\n\n`);
    let closed = false;
    // What the stream writes goes out in the order it was heard, even when a filter must ask the store first:
    // while one such answer is awaited, the events heard after it wait behind it.
    let waiting: Promise<void> | null = null;
    const failed = (error: unknown) => logger.warn({ err: error }, 'stream listener failed');
    const forward = <T>(item: T, want: Wanted<T>, text: () => string): void => {
      const decide = (): boolean | Promise<boolean> => (closed ? false : want(item));
      const write = (yes: boolean) => {
        try {
          if (yes && !closed) res.write(text());
        } catch (error) {
          failed(error);
        }
      };
      if (waiting === null) {
        let answer: boolean | Promise<boolean>;
        try {
          answer = decide();
        } catch (error) {
          // A listener must never break the append that notified it.
          failed(error);
          return;
        }
        if (typeof answer === 'boolean') {
          write(answer);
          return;
        }
        waiting = answer.then(write, failed);
      } else {
        waiting = waiting.then(async () => write(await decide())).catch(failed);
      }
      const mine = waiting;
      void mine.then(() => {
        if (waiting === mine) waiting = null;
      });
    };
    const unsubscribe = events.subscribe((appended: AppendedEvent) =>
      forward(
        appended,
        wanted,
        () =>
          `event: appended\ndata: ${JSON.stringify({ sessionId: appended.sessionId, records: appended.records, ...(appended.clockAt === undefined ? {} : { clockAt: appended.clockAt }), ...(appended.message === undefined ? {} : { message: appended.message }) })}\n\n`,
      ),
    );
    const onNotice = (n: ClassNotice) => forward(n, noticeWanted, () => `event: ${n.kind}\ndata: ${JSON.stringify(n)}\n\n`);
    noticeListeners.add(onNotice);
    streams.add(res);
    const close = () => {
      if (closed) return;
      closed = true;
      const left = (openPerUser.get(userId) ?? 1) - 1;
      if (left <= 0) openPerUser.delete(userId);
      else openPerUser.set(userId, left);
      unsubscribe();
      noticeListeners.delete(onNotice);
      streams.delete(res);
    };
    req.on('close', close);
    res.on('close', close);
  }

  function reopenStreams(): void {
    for (const stream of [...streams]) stream.end();
  }

  function closeStreams(): void {
    keepListening();
    for (const stream of streams) stream.end();
    streams.clear();
    openPerUser.clear();
  }

  return { openStream, notice, hear, reopenStreams, closeStreams };
}
