// An error said plainly, with the server's details (zod issues, line numbers) when it gave them.
import { ApiError } from '../api.js';

export function ErrorNote({ error }: { error: unknown }) {
  if (error === null || error === undefined) return null;
  const message = error instanceof Error ? error.message : String(error);
  const issues = error instanceof ApiError && Array.isArray(error.body.issues) ? (error.body.issues as { path?: string; message?: string }[]) : [];
  return (
    <div class="note error" role="alert">
      <p>{message}</p>
      {issues.length > 0 ? (
        <ul>
          {issues.map((issue, i) => (
            <li key={i}>{[issue.path, issue.message].filter(Boolean).join(': ')}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
