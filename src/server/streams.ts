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

export interface Streams {
  /** Opens a server-sent event stream that forwards the appends `wanted` accepts. */
  openStream(req: Request, res: Response, ready: unknown, wanted: (appended: AppendedEvent) => boolean, noticeWanted?: (n: ClassNotice) => boolean): void;
  /** Tells every open stream that wants it about a class happening. */
  notice(n: ClassNotice): void;
  /** Ends every open event stream (graceful shutdown). */
  closeStreams(): void;
}

export function createStreams({ events, logger }: { events: EventStore; logger: Logger }): Streams {
  const streams = new Set<Response>();
  // Class happenings that are not session records: a trainee joined a cohort, debriefs were released.
  const noticeListeners = new Set<(n: ClassNotice) => void>();
  const notice = (n: ClassNotice): void => {
    for (const listener of noticeListeners) listener(n);
  };

  /** Opens a server-sent event stream that forwards the appends `wanted` accepts. */
  function openStream(req: Request, res: Response, ready: unknown, wanted: (appended: AppendedEvent) => boolean, noticeWanted: (n: ClassNotice) => boolean = () => false): void {
    res.status(200).set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.flushHeaders();
    res.write(`event: ready\ndata: ${JSON.stringify(ready)}\n\n`);
    const unsubscribe = events.subscribe((appended: AppendedEvent) => {
      try {
        if (!wanted(appended)) return;
        res.write(`event: appended\ndata: ${JSON.stringify({ sessionId: appended.sessionId, records: appended.records, ...(appended.clockAt === undefined ? {} : { clockAt: appended.clockAt }), ...(appended.message === undefined ? {} : { message: appended.message }) })}\n\n`);
      } catch (error) {
        // A listener must never break the append that notified it.
        logger.warn({ err: error }, 'stream listener failed');
      }
    });
    const onNotice = (n: ClassNotice) => {
      try {
        if (noticeWanted(n)) res.write(`event: ${n.kind}\ndata: ${JSON.stringify(n)}\n\n`);
      } catch (error) {
        logger.warn({ err: error }, 'stream listener failed');
      }
    };
    noticeListeners.add(onNotice);
    streams.add(res);
    const close = () => {
      unsubscribe();
      noticeListeners.delete(onNotice);
      streams.delete(res);
    };
    req.on('close', close);
    res.on('close', close);
  }

  function closeStreams(): void {
    for (const stream of streams) stream.end();
    streams.clear();
  }

  return { openStream, notice, closeStreams };
}
