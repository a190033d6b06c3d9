// The tip's contentless facts, the way a CyberTipline report lists them: never anything but metadata.
import { clockText } from '../components/time-text.js';
import type { TipFacts } from '../api-types.js';
import { wordFor } from './format.js';
import type { ClientReference } from './types.js';

// Every code of the report (incident type, annotations, where online) is shown in the analyst's words the
// reference carries, never as the code.
export function TipCard({ facts, words }: { facts: TipFacts; words: ClientReference['words'] }) {
  const { incident } = facts;
  const annotation = (a: string) => (
    <span key={a} class="badge">
      {wordFor(words.annotations, a)}
    </span>
  );
  const files = facts.files;
  const fileAnnotations = [...new Set(files.flatMap((f) => f.annotations))];
  const subjects = facts.subjects;
  return (
    <section class="card" aria-labelledby="tip-title">
      <h2 id="tip-title">
        Tip <span class="mono">{facts.id}</span>
      </h2>
      <dl class="facts">
        <dt>Reported by</dt>
        <dd>
          {wordFor(words.sources, facts.source)}
          {facts.reporter === null ? null : `: ${facts.reporter}`}
        </dd>
        <dt>Received</dt>
        <dd>{clockText(facts.receivedAt)}</dd>
        <dt>Incident type</dt>
        <dd>
          {wordFor(words.incidentTypes, incident.type)}
          {incident.dateTime === null ? null : <span class="muted"> · {clockText(incident.dateTime)}</span>}
        </dd>
        <dt>Annotations</dt>
        <dd>{incident.annotations.length === 0 ? <span class="muted">none</span> : incident.annotations.map(annotation)}</dd>
        <dt>Escalated by the reporter</dt>
        <dd>{incident.escalated ? <strong>Yes, escalated to high priority</strong> : 'No'}</dd>
        <dt>Where online</dt>
        <dd>
          {facts.internetDetails.length === 0
            ? <span class="muted">not given</span>
            : facts.internetDetails.map((d, i) => (
                <span key={i} class="tip-item">
                  {wordFor(words.internetKinds, d.kind)}
                  {d.url === null ? null : <span class="mono"> {d.url}</span>}
                </span>
              ))}
        </dd>
        <dt>Subjects</dt>
        <dd>
          {subjects.length === 0
            ? <span class="muted">none named</span>
            : subjects.map((s) => (
                <span key={s.id} class="tip-item">
                  <strong>{s.id}</strong>
                  {s.screenName === null ? null : <> · screen name <span class="mono">{s.screenName}</span></>}
                  {s.email === null ? null : <> · email <span class="mono">{s.email}</span></>}
                </span>
              ))}
        </dd>
        <dt>Files</dt>
        <dd>
          {files.length === 0 ? 'none listed' : `${files.length} (hashes only, never content)`}
          {fileAnnotations.map(annotation)}
        </dd>
      </dl>
    </section>
  );
}
