// What one server instance tells the others on the same store (src/store/instance-signals.ts), validated
// when heard like any other input: class notices for the streams (a trainee joined, debriefs released or
// withdrawn, a session replaced by an undo), and the forgets of the caches that trust what they read for a
// while (a logged-out token, a user whose password changed, a deleted upload). When signals may have been
// missed (the store's LISTEN connection was down), a resync tells the handlers to trust nothing they kept.
import type { Logger } from 'pino';
import { z } from 'zod';
import type { InstanceSignals } from '../store/instance-signals.js';
import type { ClassNotice } from './streams.js';

const id = z.string().min(1).max(200);
const noticeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('joined'), cohortId: id, trainee: z.object({ id, name: z.string().min(1).max(200) }) }),
  z.object({ kind: z.literal('released'), cohortId: id, exerciseId: id.nullable() }),
  z.object({ kind: z.literal('withdrawn'), cohortId: id, exerciseId: id.nullable() }),
  z.object({ kind: z.literal('replaced'), sessionId: id, by: id }),
]);

const signalSchema = z.discriminatedUnion('topic', [
  z.object({ topic: z.literal('notice'), notice: noticeSchema }),
  z.object({ topic: z.literal('token-forgotten'), hash: z.string().regex(/^[0-9a-f]{64}$/) }),
  z.object({ topic: z.literal('user-forgotten'), userId: id }),
  z.object({ topic: z.literal('upload-deleted'), instructorId: id, exerciseId: id }),
]);
export type ClassSignal = z.infer<typeof signalSchema>;

export interface SignalHandlers {
  /** Every notice, this instance's own included (they are heard at once). */
  notice: (n: ClassNotice) => void;
  /** The other instances' forgets (this instance forgot its own already). */
  tokenForgotten: (hash: string) => void;
  userForgotten: (userId: string) => void;
  uploadDeleted: (instructorId: string, exerciseId: string) => void;
  /** Signals may have been missed: forget every cached token, user and upload, and have the streams read again. */
  resync: () => void;
}

export interface ClassSignals {
  /** Sends a signal to this instance and the others; never throws (a failure is logged: the trust windows bound it). */
  send(signal: ClassSignal): Promise<void>;
  /** Starts hearing signals (once the handlers exist). */
  listen(handlers: SignalHandlers): () => void;
}

export function createClassSignals(signals: InstanceSignals, logger: Logger): ClassSignals {
  return {
    send: (signal) => signals.publish(signal).catch((error: unknown) => logger.warn({ err: error, topic: signal.topic }, 'a signal to the other instances was not sent')),
    listen: (handlers) => {
      const stopResync = signals.onResync(() => {
        logger.warn('signals from the other instances may have been missed (the connection was down): cached tokens, users and uploads are read again, and event streams reopened');
        handlers.resync();
      });
      const stopSignals = signals.subscribe((raw, fromHere) => {
        const parsed = signalSchema.safeParse(raw);
        if (!parsed.success) {
          logger.warn({ issues: parsed.error.issues.length }, 'an unreadable signal from another instance was ignored');
          return;
        }
        const signal = parsed.data;
        if (signal.topic === 'notice') {
          handlers.notice(signal.notice);
          return;
        }
        if (fromHere) return;
        if (signal.topic === 'token-forgotten') handlers.tokenForgotten(signal.hash);
        else if (signal.topic === 'user-forgotten') handlers.userForgotten(signal.userId);
        else handlers.uploadDeleted(signal.instructorId, signal.exerciseId);
      });
      return () => {
        stopSignals();
        stopResync();
      };
    },
  };
}
