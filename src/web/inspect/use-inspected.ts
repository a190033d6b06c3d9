// The inspected sandbox or session, kept current: a sandbox changes only by this page's own requests; a
// trainee's session is followed over its event stream and reloaded (one request in flight) on each append.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, follow } from '../api.js';
import type { Inspected, Source } from './types.js';

export type ActResult = { ok: true; inspected: Inspected } | { ok: false; error: unknown };

export interface InspectedState {
  inspected: Inspected | null;
  error: unknown;
  /** Whether a session's event stream is open (always false for a sandbox). */
  live: boolean;
  busy: boolean;
  /** POSTs to the sandbox (`events`, `advance`, `rewind`); resolves to the new state, or to the error. */
  act(action: 'events' | 'advance' | 'rewind', body: unknown): Promise<ActResult>;
  /** Shows this sandbox at once when the page moves to it (a branch the page just made), instead of "Loading…". */
  prime(known: Inspected): void;
}

const pathOf = (source: Source): string => `/api/inspect/${source.kind === 'sandbox' ? 'sandboxes' : 'sessions'}/${encodeURIComponent(source.id)}`;

/**
 * `onReplaced` is called with the id of the session that goes on when the followed one is replaced (the
 * trainee took a decision back: a practice undo starts a new session).
 */
export function useInspected(source: Source | null, onReplaced?: (by: string) => void): InspectedState {
  const [inspected, setInspected] = useState<Inspected | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [live, setLive] = useState(false);
  const [busy, setBusy] = useState(false);
  const kind = source?.kind;
  const id = source?.id;
  const replacedRef = useRef(onReplaced);
  replacedRef.current = onReplaced;
  const primed = useRef<Inspected | null>(null);

  useEffect(() => {
    const known = kind === 'sandbox' && primed.current?.id === id ? primed.current : null;
    primed.current = null;
    setInspected(known);
    setError(null);
    setLive(false);
    if (kind === undefined || id === undefined) return;
    const path = pathOf({ kind, id });
    const controller = new AbortController();
    let loading = false;
    let again = false;
    const load = async (): Promise<void> => {
      if (loading) {
        again = true;
        return;
      }
      loading = true;
      try {
        do {
          again = false;
          const reply = await api<{ inspected: Inspected }>('GET', path);
          if (controller.signal.aborted) return;
          setInspected(reply.inspected);
          setError(null);
          // Replaced while the stream was away (its notice missed): the session that goes on is followed all the same.
          const by = reply.inspected.replacedBy;
          if (by !== null) replacedRef.current?.(by);
        } while (again);
      } catch (e) {
        if (!controller.signal.aborted) setError(e);
      } finally {
        loading = false;
      }
    };
    void load();
    if (kind === 'session') {
      const stream = `/api/sessions/${encodeURIComponent(id)}/stream`;
      void follow(
        stream,
        (message) => {
          if (message.event === 'appended') void load();
          const by = (message.data as { by?: unknown } | null)?.by;
          if (message.event === 'replaced' && typeof by === 'string') replacedRef.current?.(by);
        },
        controller.signal,
        () => {
          setLive(true);
          void load();
        },
      ).finally(() => {
        if (!controller.signal.aborted) setLive(false);
      });
    }
    return () => controller.abort();
  }, [kind, id]);

  const act = useCallback(
    async (action: 'events' | 'advance' | 'rewind', body: unknown): Promise<ActResult> => {
      if (kind !== 'sandbox' || id === undefined) return { ok: false, error: new Error('only a free simulation can be stepped here') };
      setBusy(true);
      try {
        const reply = await api<{ inspected: Inspected }>('POST', `${pathOf({ kind, id })}/${action}`, body);
        setInspected(reply.inspected);
        return { ok: true, inspected: reply.inspected };
      } catch (e) {
        return { ok: false, error: e };
      } finally {
        setBusy(false);
      }
    },
    [kind, id],
  );

  const prime = useCallback((known: Inspected) => {
    primed.current = known;
  }, []);

  return { inspected, error, live, busy, act, prime };
}
