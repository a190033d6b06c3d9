// The instructor dashboard (issue 7): cohorts and join codes, exercises and uploads on the home page;
// a cohort's live grid, injects, assignments, releases and results at #/cohort/<id>; a trainee's session,
// its debrief and replay, at #/session/<id>.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import type { Cohort, ExerciseSummary, Me } from '../api-types.js';
import { ErrorNote } from '../components/error-note.js';
import { CohortView } from '../instructor/cohort-view.js';
import { CohortsCard } from '../instructor/cohorts.js';
import { SessionDebrief } from '../instructor/session-debrief.js';
import { ExercisesCard } from '../instructor/exercises.js';
import { UploadCard } from '../instructor/upload.js';
import type { Route } from '../route.js';

export function InstructorPage({ me, route }: { me: Me; route: Route }) {
  const [cohorts, setCohorts] = useState<Cohort[] | null>(null);
  const [exercises, setExercises] = useState<ExerciseSummary[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    api<{ cohorts: Cohort[] }>('GET', '/api/cohorts')
      .then((r) => setCohorts(r.cohorts))
      .catch(setError);
    api<{ exercises: ExerciseSummary[] }>('GET', '/api/exercises')
      .then((r) => setExercises(r.exercises))
      .catch(setError);
  }, []);

  const cohortId = route.parts[0] === 'cohort' ? route.parts[1] : undefined;
  useEffect(() => {
    document.title = cohortId === undefined ? 'Instructor dashboard · tipflow' : `${cohorts?.find((c) => c.id === cohortId)?.name ?? 'Cohort'} · tipflow`;
  }, [cohortId, cohorts]);

  // A trainee's session (#/session/<id>): its debrief and replay, for any session of the instructor's cohorts.
  const sessionId = route.parts[0] === 'session' ? route.parts[1] : undefined;
  if (sessionId !== undefined) {
    return (
      <main class="page instructor" id="main">
        <SessionDebrief key={sessionId} id={sessionId} />
      </main>
    );
  }

  if (cohortId !== undefined) {
    const cohort = cohorts?.find((c) => c.id === cohortId);
    return (
      <main class="page instructor" id="main">
        <ErrorNote error={error} />
        {cohorts === null || exercises === null ? (
          <p role="status">Loading…</p>
        ) : cohort === undefined ? (
          <>
            <h1>Cohort not found</h1>
            <p>
              It is not one of your cohorts. <a href="#/">Back to your cohorts</a>
            </p>
          </>
        ) : (
          <CohortView cohort={cohort} exercises={exercises} />
        )}
      </main>
    );
  }

  return (
    <main class="page instructor" id="main">
      <h1>Instructor dashboard</h1>
      <p class="lede">
        Welcome, {me.user.name}. Create a cohort and give its join code to your class; open a cohort to watch its trainees live, send injects and release debriefs.
      </p>
      <ErrorNote error={error} />
      <div class="stack">
        <CohortsCard cohorts={cohorts} onCreated={(c) => setCohorts((list) => [...(list ?? []), c])} />
        <UploadCard onUploaded={(e) => setExercises((list) => [...(list ?? []).filter((x) => x.id !== e.id), e])} />
        <ExercisesCard exercises={exercises} onDeleted={(id) => setExercises((list) => (list ?? []).filter((x) => x.id !== id))} />
      </div>
    </main>
  );
}
