// Upload an exercise file: the server validates it as `tipflow validate` does; its problems are shown by line.
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import type { Diagnostic, ExerciseSummary } from '../api-types.js';
import { ErrorNote } from '../components/error-note.js';
import { DiagnosticsView } from './diagnostics.js';

interface Picked {
  fileName: string;
  text: string;
}

type Outcome = { kind: 'refused'; diagnostics: Diagnostic[]; file: Picked } | { kind: 'uploaded'; exercise: ExerciseSummary; diagnostics: Diagnostic[]; file: Picked };

const MAX_BYTES = 200 * 1024;

export function UploadCard({ onUploaded }: { onUploaded: (exercise: ExerciseSummary) => void }) {
  const [picked, setPicked] = useState<Picked | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const onFile = async (event: Event) => {
    setOutcome(null);
    setError(null);
    const file = (event.currentTarget as HTMLInputElement).files?.[0];
    if (file === undefined) {
      setPicked(null);
      return;
    }
    if (file.size > MAX_BYTES) {
      setPicked(null);
      setError(new Error(`${file.name} is larger than 200 kB; an exercise file is usually a few kB.`));
      return;
    }
    setPicked({ fileName: file.name, text: await file.text() });
  };

  const upload = async (event: Event) => {
    event.preventDefault();
    if (picked === null) return;
    setBusy(true);
    setError(null);
    setOutcome(null);
    try {
      const reply = await api<{ exercise: ExerciseSummary; diagnostics: Diagnostic[] }>('POST', '/api/exercises', picked);
      setOutcome({ kind: 'uploaded', exercise: reply.exercise, diagnostics: reply.diagnostics, file: picked });
      onUploaded(reply.exercise);
    } catch (e) {
      if (e instanceof ApiError && e.status === 422 && Array.isArray(e.body.diagnostics)) setOutcome({ kind: 'refused', diagnostics: e.body.diagnostics as Diagnostic[], file: picked });
      else setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card upload" aria-labelledby="upload-title">
      <h2 id="upload-title">Upload an exercise</h2>
      <p class="muted small">
        A YAML exercise file with its tip inline. It is checked like <code>tipflow validate</code>: fields, references and that it can be solved.
      </p>
      <form class="row" onSubmit={(e) => void upload(e)}>
        <label class="grow">
          Exercise file (.yaml)
          <input type="file" name="exercise-file" accept=".yaml,.yml" onChange={(e) => void onFile(e)} />
        </label>
        <button type="submit" disabled={busy || picked === null}>
          {busy ? 'Checking…' : 'Check and upload'}
        </button>
      </form>
      <ErrorNote error={error} />
      {outcome?.kind === 'uploaded' ? (
        <div class="note ok" role="status">
          <p>
            Uploaded <strong>{outcome.exercise.title}</strong> (<span class="mono">{outcome.exercise.id}</span>). Assign it to a cohort from the cohort's page.
          </p>
        </div>
      ) : null}
      {outcome?.kind === 'refused' ? (
        <div class="note error">
          <p>
            <strong>{outcome.file.fileName} was not uploaded</strong>: fix the errors below and choose the file again.
          </p>
        </div>
      ) : null}
      {outcome !== null && outcome.diagnostics.length > 0 ? <DiagnosticsView fileName={outcome.file.fileName} text={outcome.file.text} diagnostics={outcome.diagnostics} focus={outcome.kind === 'refused'} /> : null}
    </section>
  );
}
