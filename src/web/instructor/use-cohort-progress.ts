// The live grid's data: every trainee's progress, kept current over the cohort's event stream. An append
// refreshes only the row of the session it touched (at most once per THROTTLE_MS per session, one request
// in flight each), so a class of 40 stepping at once costs 40 small requests, not 40 × 40.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, follow, type StreamMessage } from '../api.js';
import type { Progress, TraineeProgress } from '../api-types.js';

const THROTTLE_MS = 400;

export interface CohortProgress {
  rows: TraineeProgress[] | null;
  /** Whether the event stream is open. */
  live: boolean;
  /** Wall-clock time (ms) of the last append per session, for the grid's activity dots. */
  touched: ReadonlyMap<string, number>;
  error: unknown;
  /** Refreshes one session's row now (after the instructor sent it an inject, say). */
  refresh(sessionId: string): void;
  /** Reloads every row (after granting an attempt, say). */
  reloadAll(): void;
}

/** A trainee's row with one of their sessions' progress replaced wherever it is shown. */
function withSession(row: TraineeProgress, progress: Progress): TraineeProgress {
  if (!row.all.some((p) => p.sessionId === progress.sessionId)) return row;
  const pick = (p: Progress | null) => (p?.sessionId === progress.sessionId ? progress : p);
  return { ...row, progress: pick(row.progress), newest: { practice: pick(row.newest.practice), assessment: pick(row.newest.assessment) }, all: row.all.map((p) => (p.sessionId === progress.sessionId ? progress : p)) };
}

const cohortPath = (cohortId: string) => `/api/cohorts/${encodeURIComponent(cohortId)}`;

export function useCohortProgress(cohortId: string): CohortProgress {
  const [rows, setRows] = useState<TraineeProgress[] | null>(null);
  const [live, setLive] = useState(false);
  const [touched, setTouched] = useState<ReadonlyMap<string, number>>(new Map());
  const [error, setError] = useState<unknown>(null);
  const rowsRef = useRef<TraineeProgress[] | null>(null);
  rowsRef.current = rows;
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  const inFlight = useRef(new Set<string>());
  const again = useRef(new Set<string>());
  const aliveRef = useRef(true);

  const reloadAll = useCallback(async () => {
    try {
      const reply = await api<{ trainees: TraineeProgress[] }>('GET', `${cohortPath(cohortId)}/progress`);
      if (!aliveRef.current) return;
      setRows([...reply.trainees].sort((a, b) => a.name.localeCompare(b.name)));
      setError(null);
    } catch (e) {
      if (aliveRef.current) setError(e);
    }
  }, [cohortId]);

  const fetchRow = useCallback(
    async (sessionId: string) => {
      if (inFlight.current.has(sessionId)) {
        again.current.add(sessionId);
        return;
      }
      inFlight.current.add(sessionId);
      try {
        const known = rowsRef.current?.some((r) => r.all.some((p) => p.sessionId === sessionId)) ?? false;
        // A session the grid does not show yet: a trainee started (or undid into) a new one.
        if (!known) {
          scheduleReload();
          return;
        }
        const { progress } = await api<{ progress: Progress }>('GET', `/api/sessions/${encodeURIComponent(sessionId)}/progress`);
        if (!aliveRef.current) return;
        setRows((current) => current?.map((r) => withSession(r, progress)) ?? current);
      } catch (e) {
        if (aliveRef.current) setError(e);
      } finally {
        inFlight.current.delete(sessionId);
        if (again.current.delete(sessionId)) schedule(sessionId);
      }
    },
    // schedule is stable (it only reads refs); listed below through the ref.
    [reloadAll],
  );
  const fetchRowRef = useRef(fetchRow);
  fetchRowRef.current = fetchRow;

  // Whole-grid reloads (new sessions) are coalesced: when a class starts at once, one reload serves all.
  const reloadTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const reloading = useRef(false);
  const reloadAgain = useRef(false);
  const reloadAllRef = useRef(reloadAll);
  reloadAllRef.current = reloadAll;
  function scheduleReload(): void {
    if (reloading.current) {
      reloadAgain.current = true;
      return;
    }
    if (reloadTimer.current !== null) return;
    reloadTimer.current = setTimeout(() => {
      reloadTimer.current = null;
      reloading.current = true;
      void reloadAllRef.current().finally(() => {
        reloading.current = false;
        if (reloadAgain.current) {
          reloadAgain.current = false;
          scheduleReload();
        }
      });
    }, THROTTLE_MS);
  }

  function schedule(sessionId: string): void {
    if (timers.current.has(sessionId)) return;
    timers.current.set(
      sessionId,
      setTimeout(() => {
        timers.current.delete(sessionId);
        void fetchRowRef.current(sessionId);
      }, THROTTLE_MS),
    );
  }

  useEffect(() => {
    aliveRef.current = true;
    const controller = new AbortController();
    let opened = 0;
    const onMessage = (message: StreamMessage) => {
      if (message.event === 'ready') setLive(true);
      // A trainee joined: their row appears at once (they have no session yet, so no append would say so).
      if (message.event === 'joined') void reloadAll();
      if (message.event !== 'appended') return;
      const sessionId = (message.data as { sessionId?: unknown }).sessionId;
      if (typeof sessionId !== 'string') return;
      setTouched((t) => new Map(t).set(sessionId, Date.now()));
      schedule(sessionId);
    };
    const onOpen = () => {
      opened += 1;
      // After a dropped connection, appends may have been missed: reload everything once.
      if (opened > 1) void reloadAll();
    };
    void reloadAll();
    void follow(`${cohortPath(cohortId)}/stream`, onMessage, controller.signal, onOpen).finally(() => {
      if (aliveRef.current) setLive(false);
    });
    const pending = timers.current;
    return () => {
      aliveRef.current = false;
      controller.abort();
      for (const timer of pending.values()) clearTimeout(timer);
      pending.clear();
      if (reloadTimer.current !== null) clearTimeout(reloadTimer.current);
      reloadTimer.current = null;
    };
  }, [cohortId, reloadAll]);

  return { rows, live, touched, error, refresh: (sessionId: string) => void fetchRowRef.current(sessionId), reloadAll: () => void reloadAllRef.current() };
}
