// Every location indicator in one table: what the report says; from the geolocation step on, the lookup
// (ISP, network kind, location, record retention) the trainee reads to find the caveats; once the
// geolocation is confirmed, the rule book's caveats and confidence. Before that, the trainee's own tags.
import type { SessionView } from '../api-types.js';
import { clockParts } from '../components/time-text.js';
import { wordFor } from './format.js';
import { placeText, reportedText, rowNotes, rowWhat } from './indicator-text.js';
import type { ClientReference } from './types.js';

export function IndicatorsTable({ view, reference }: { view: SessionView; reference: ClientReference }) {
  const rows = view.indicators;
  const assessment = view.assessment;
  const byId = new Map((assessment?.indicators ?? []).map((i) => [i.id, i]));
  const meaning = new Map(reference.caveats.map((c) => [c.code, c.meaning]));
  const tipTags = view.tags.filter((t) => t.indicatorId === null);
  const tipLevelCodes = new Set(reference.caveats.filter((c) => c.tipLevel).map((c) => c.code));
  const tipLevelFound = (assessment?.caveats ?? []).filter((c) => tipLevelCodes.has(c));
  const caveatsLabel = assessment === null ? 'Your caveat tags' : 'Caveats';
  const caveatBadge = (code: string) => (
    <span key={code} class="badge caveat" title={meaning.get(code)}>
      {code}
    </span>
  );
  return (
    <section class="card indicators-card" aria-labelledby="indicators-title">
      <div class="spread">
        <h2 id="indicators-title">Location indicators</h2>
        {assessment === null ? null : (
          <p class="small">
            Tip confidence <span class={`badge ${assessment.confidence}`}>{assessment.confidence}</span>
            {tipLevelFound.length === 0 ? null : <> · on the tip as a whole {tipLevelFound.map(caveatBadge)}</>}
          </p>
        )}
      </div>
      <p class="note warn small">
        <strong>Locations reflect network indicators, not people.</strong>
        {assessment === null
          ? view.mode === 'assessment'
            ? view.routingTime === null
              ? " The lookup (ISP, network kind, location) appears at the geolocation step. In an assessment the rule book's caveats and confidence are shown once the tip is closed: until then the caveats shown are your own tags."
              : " In an assessment the rule book's caveats and confidence are shown once the tip is closed: until then the caveats shown are your own tags."
            : view.routingTime === null
              ? ' The lookup (ISP, network kind, location) appears at the geolocation step; the caveats and confidence once the geolocation is confirmed.'
              : ' The caveats and confidence are shown once the geolocation is confirmed.'
          : null}
      </p>
      {rows.length === 0 ? (
        <p>The tip has no location indicator.</p>
      ) : (
        <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="indicators-title">
          <table class="indicators stacking">
            <caption class="visually-hidden">Location indicators of the tip</caption>
            <thead>
              <tr>
                <th scope="col">Indicator</th>
                <th scope="col">IP · port</th>
                <th scope="col">Time</th>
                <th scope="col">ISP · network</th>
                <th scope="col">Location</th>
                <th scope="col">{caveatsLabel}</th>
                <th scope="col">Confidence</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => {
                const geo = byId.get(row.id);
                const found = row.geo;
                const tags = view.tags.filter((t) => t.indicatorId === row.id).map((t) => t.caveat);
                const caveats = assessment === null ? tags : (geo?.caveats ?? []);
                return (
                  <tr key={row.id}>
                    <th scope="row">
                      <span class="mono">{row.id}</span>
                      <span class="cell-note">
                        {rowWhat(row)}
                        {row.subjectId === null ? '' : ` · ${row.subjectId}`}
                      </span>
                      {rowNotes(row).map((n) => (
                        <span key={n} class="cell-note">
                          {n}
                        </span>
                      ))}
                    </th>
                    <td data-label="IP · port">
                      {row.ip === null ? <span class="muted">—</span> : <span class="mono">{row.ip}</span>}
                      {row.source === 'estimatedLocation' ? null : <span class="cell-note">{row.port === null ? 'no port' : `port ${row.port}`}</span>}
                    </td>
                    <td class="time" data-label="Time">{row.time === null ? <span class="muted">{row.source === 'estimatedLocation' ? '—' : 'no time'}</span> : <TimeCell iso={row.time} />}
                      {row.source === 'p2p' && row.time !== null ? <span class="cell-note">last seen</span> : null}
                    </td>
                    <td data-label="ISP · network">
                      {row.source === 'estimatedLocation' ? (
                        <span class="muted">given by the reporting provider</span>
                      ) : found === null ? (
                        <span class="muted">at the geolocation step</span>
                      ) : (
                        <>
                          {found.isp ?? 'no geolocation entry'}
                          <span class="cell-note">
                            {found.kind === null ? 'unknown network' : wordFor(reference.words.networkKinds, found.kind)}
                            {found.retentionDays === null ? '' : found.retentionDays === 0 ? ' · keeps no records' : ` · keeps records ${found.retentionDays} days`}
                          </span>
                        </>
                      )}
                    </td>
                    <td data-label="Location">{row.source === 'estimatedLocation' ? reportedText(row) : found !== null ? placeText(found) || <span class="muted">no location</span> : <span class="muted">at the geolocation step</span>}</td>
                    <td data-label={caveatsLabel}>{caveats.length === 0 ? <span class="muted">none</span> : caveats.map(caveatBadge)}</td>
                    <td data-label="Confidence">{geo === undefined ? <span class="muted">—</span> : <span class={`badge ${geo.confidence}`}>{geo.confidence}</span>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {assessment === null && tipTags.length > 0 ? <p class="small">Your tags on the tip as a whole: {tipTags.map((t) => caveatBadge(t.caveat))}</p> : null}
    </section>
  );
}

function TimeCell({ iso }: { iso: string }) {
  const [date, time] = clockParts(iso);
  return (
    <>
      <span class="nowrap">{date}</span>
      {time === null ? null : <span class="cell-note">{time}</span>}
    </>
  );
}
