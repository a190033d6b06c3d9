// The tip's contentless facts, the way a CyberTipline report lists them: never anything but metadata.
import { clockText } from '../components/time-text.js';
import type { TipFacts } from '../api-types.js';

const SOURCE_TEXT = { esp: 'Electronic service provider', public: 'Member of the public' } as const;

export function TipCard({ facts }: { facts: TipFacts }) {
  const { incident } = facts;
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
          {SOURCE_TEXT[facts.source]}
          {facts.reporter === null ? null : `: ${facts.reporter}`}
        </dd>
        <dt>Received</dt>
        <dd>{clockText(facts.receivedAt)}</dd>
        <dt>Incident type</dt>
        <dd>
          <span class="mono">{incident.type}</span>
          {incident.dateTime === null ? null : <span class="muted"> · {clockText(incident.dateTime)}</span>}
        </dd>
        <dt>Annotations</dt>
        <dd>{incident.annotations.length === 0 ? <span class="muted">none</span> : incident.annotations.map((a) => <span key={a} class="badge">{a}</span>)}</dd>
        <dt>Escalated by the reporter</dt>
        <dd>{incident.escalated ? <strong>Yes, escalated to high priority</strong> : 'No'}</dd>
        <dt>Where online</dt>
        <dd>
          {facts.internetDetails.length === 0
            ? <span class="muted">not given</span>
            : facts.internetDetails.map((d, i) => (
                <span key={i} class="tip-item">
                  {d.kind}
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
          {fileAnnotations.map((a) => <span key={a} class="badge">{a}</span>)}
        </dd>
      </dl>
    </section>
  );
}
