// One session's view kept current: loaded on open, reloaded on every append its event stream reports (an
// instructor's inject, a step from another tab), and replaced by the answer of each decision. Sends carry
// the view's lastSeq, so a decision taken on a stale page is refused (409) and the page reloads instead.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, follow, newEventId } from '../api.js';
import type { StepAnswer } from '../../api/contract.js';
import type { SessionView } from '../api-types.js';
import { go } from '../route.js';
import { moveToReplacement } from './arrival.js';

/** How often a page with a running paced clock fetches its view. */
const PACED_REFRESH_MS = 10_000;

export interface SendResult {
  ok: boolean;
  view?: SessionView;
}

export interface SessionState {
  view: SessionView | null;
  /** Loading failed (404 and the like): the page says so instead of the session. */
  loadError: unknown;
  /** The last refusal or failure of a send, said in the server's words. */
  error: unknown;
  /** A plain note after a stale send (409). */
  notice: string | null;
  /** A step is on its way (controls show aria-disabled; a second press is ignored). */
  busy: boolean;
  /** Counts appends seen on the stream, so panels that depend on the log (the debrief) can refresh. */
  appended: number;
  reload(): Promise<void>;
  send(event: { type: string; [key: string]: unknown }): Promise<SendResult>;
  /** Runs another session call (advance, undo) with the same stale/refusal handling. */
  call<T extends { view: SessionView }>(method: 'POST', path: string, body: Record<string, unknown>): Promise<T | null>;
  clearMessages(): void;
}

const sessionPath = (id: string) => `/api/sessions/${encodeURIComponent(id)}`;

export function useSession(id: string): SessionState {
  const [view, setView] = useState<SessionView | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [appended, setAppended] = useState(0);
  const viewRef = useRef<SessionView | null>(null);
  const busyRef = useRef(false);

  /** Keeps the newest view: a reload that raced a decision must not put the older one back. */
  const accept = useCallback((next: SessionView) => {
    const current = viewRef.current;
    if (current !== null && current.id === next.id && next.lastSeq < current.lastSeq) return;
    viewRef.current = next;
    setView(next);
  }, []);

  const reload = useCallback(async () => {
    try {
      const reply = await api<{ view: SessionView }>('GET', sessionPath(id));
      accept(reply.view);
      setLoadError(null);
    } catch (e) {
      if (viewRef.current === null) setLoadError(e);
    }
  }, [id, accept]);

  useEffect(() => {
    viewRef.current = null;
    setView(null);
    setLoadError(null);
    setError(null);
    setNotice(null);
    const stop = new AbortController();
    void reload();
    void follow(
      `${sessionPath(id)}/stream`,
      (message) => {
        // The instructor released the debrief, or withdrew it: the view (its debriefReleased) is read again.
        if (message.event === 'released' || message.event === 'withdrawn') {
          void reload();
          return;
        }
        // An undo (in another tab) replaced this session: the page moves to the one that goes on.
        if (message.event === 'replaced') {
          const by = (message.data as { by?: unknown }).by;
          if (typeof by === 'string') moveToReplacement(id, by, go);
          return;
        }
        if (message.event !== 'appended') return;
        setAppended((n) => n + 1);
        void reload();
      },
      stop.signal,
      () => void reload(),
    );
    return () => stop.abort();
  }, [id, reload]);

  // An assessment's clock running at a pace (DESIGN §10) moves with real time: the view is fetched again every
  // few seconds so the clock, and what falls due on it, show up without a click.
  const running = view !== null && !view.closed && typeof view.clock.pace === 'number' && !view.clock.paused;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => void reload(), PACED_REFRESH_MS);
    return () => clearInterval(timer);
  }, [running, reload]);

  const handle = useCallback(
    async (e: unknown) => {
      if (e instanceof ApiError && e.status === 409 && typeof e.body.replacedBy === 'string') {
        moveToReplacement(viewRef.current?.id ?? id, e.body.replacedBy, go);
        return;
      }
      if (e instanceof ApiError && e.status === 409) {
        setNotice('The session had moved on (another tab, or your instructor sent something), so nothing was changed. The page now shows the latest state: check it and decide again.');
        await reload();
        return;
      }
      // A refused decision is itself a record of the log (the debrief shows it): take the new sequence.
      if (e instanceof ApiError && e.status === 422) await reload();
      setError(e);
    },
    [reload, id],
  );

  /** Runs a session call; `viewOfReply` reads the view the answer gives (the whole view, or one merged). */
  const run = useCallback(
    async <T,>(method: 'POST', path: string, body: Record<string, unknown>, viewOfReply: (reply: T) => SessionView): Promise<{ reply: T; view: SessionView } | null> => {
      // One step at a time: a second press while the first is on its way is ignored (controls stay enabled,
      // since disabling the focused one would drop keyboard focus to the page).
      if (busyRef.current) return null;
      busyRef.current = true;
      setBusy(true);
      setError(null);
      setNotice(null);
      try {
        const reply = await api<T>(method, path, body);
        const shown = viewOfReply(reply);
        accept(shown);
        return { reply, view: shown };
      } catch (e) {
        await handle(e);
        return null;
      } finally {
        busyRef.current = false;
        setBusy(false);
      }
    },
    [accept, handle],
  );

  const call = useCallback(
    async <T extends { view: SessionView }>(method: 'POST', path: string, body: Record<string, unknown>): Promise<T | null> => (await run<T>(method, path, body, (reply) => reply.view))?.reply ?? null,
    [run],
  );

  const send = useCallback(
    async (event: { type: string; [key: string]: unknown }): Promise<SendResult> => {
      const current = viewRef.current;
      if (current === null) return { ok: false };
      // The answer carries the changes to the view the decision was sent from (or the whole view): merged
      // into that view, not into one a reload may have put in meanwhile.
      const answered = await run<StepAnswer>('POST', `${sessionPath(current.id)}/events?view=changes`, { event, eventId: newEventId(), expectedSeq: current.lastSeq }, (reply) =>
        'changes' in reply ? { ...current, ...reply.changes } : reply.view,
      );
      return answered === null ? { ok: false } : { ok: true, view: answered.view };
    },
    [run],
  );

  const clearMessages = useCallback(() => {
    setError(null);
    setNotice(null);
  }, []);

  return { view, loadError, error, notice, busy, appended, reload, send, call, clearMessages };
}
