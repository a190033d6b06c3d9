// The exercises an instructor can assign: the bundled ones and their uploads (GET /api/exercises).
import type { ExerciseSummary } from '../api-types.js';

export function ExercisesCard({ exercises }: { exercises: ExerciseSummary[] | null }) {
  return (
    <section class="card" aria-labelledby="exercises-title">
      <h2 id="exercises-title">Exercises</h2>
      {exercises === null ? (
        <p role="status">Loading exercises…</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Exercises you can assign</caption>
            <thead>
              <tr>
                <th scope="col">Exercise</th>
                <th scope="col">Lesson</th>
                <th scope="col">Duration</th>
              </tr>
            </thead>
            <tbody>
              {exercises.map((e) => (
                <tr key={e.id}>
                  <td>
                    <strong>{e.title}</strong>
                    <div class="mono small muted">{e.id}</div>
                  </td>
                  <td>{e.lesson}</td>
                  <td>{e.duration}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
