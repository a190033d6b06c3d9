// One cohort (#/cohort/<id>): its join code, the live grid of its trainees, injects, assignments,
// debrief releases and results.
import type { Cohort, ExerciseSummary } from '../api-types.js';
import { ErrorNote } from '../components/error-note.js';
import { AssignmentsCard } from './assignments.js';
import { ClockCard } from './clock-card.js';
import { ImprovementPlanCard } from './improvement-plan.js';
import { InjectPanel } from './inject-panel.js';
import { JoinCode } from './join-code.js';
import { LiveGrid } from './live-grid.js';
import { ReleaseExportCard } from './release-export.js';
import { useCohortProgress } from './use-cohort-progress.js';

export function CohortView({ cohort, exercises }: { cohort: Cohort; exercises: ExerciseSummary[] }) {
  const { rows, live, touched, error, refresh, reloadAll } = useCohortProgress(cohort.id);
  const titleOf = (id: string) => exercises.find((e) => e.id === id)?.title ?? id;
  const running = [...new Set((rows ?? []).flatMap((r) => (r.progress === null || r.progress.exerciseId === null ? [] : [r.progress.exerciseId])))];
  return (
    <>
      <p class="crumbs">
        <a href="#/">← All cohorts</a>
      </p>
      <div class="spread cohort-head">
        <h1>{cohort.name}</h1>
        {cohort.joinCode === undefined ? null : <JoinCode code={cohort.joinCode} cohortName={cohort.name} />}
      </div>
      <ErrorNote error={error} />
      <LiveGrid rows={rows} live={live} touched={touched} attempts={{ cohortId: cohort.id, titleOf, reload: reloadAll }} />
      <div class="grid cols-2 below-grid">
        <InjectPanel rows={rows ?? []} exercises={exercises} refresh={refresh} />
        <div class="stack">
          <AssignmentsCard cohortId={cohort.id} exercises={exercises} />
          <ClockCard cohortId={cohort.id} />
          <ReleaseExportCard cohortId={cohort.id} cohortName={cohort.name} exerciseIds={running} exercises={exercises} />
          <ImprovementPlanCard cohortId={cohort.id} cohortName={cohort.name} />
        </div>
      </div>
    </>
  );
}
