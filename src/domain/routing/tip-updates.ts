// How injects change the tip: a subscriber return, a new indicator, a supplemental report. Pure: a new tip.
import type { EventOf } from '../events.js';
import { TIP_LIMITS, type Tip } from '../tip/schema.js';

export function withSubscriberReturn(tip: Tip, event: EventOf<'SUBSCRIBER.RETURNED'>): Tip {
  const location = { ...event.location, verified: true };
  const match = /^subjects\[(\d+)\]/.exec(event.indicatorId);
  const subjects = [...(tip.subjects ?? [])];
  const index = match === null ? -1 : Number(match[1]);
  const subject = subjects[index];
  if (subject !== undefined) {
    subjects[index] = { ...subject, estimatedLocation: location };
  } else {
    // A P2P observation has no subject: the subscriber becomes one.
    let n = subjects.length + 1;
    while (subjects.some((s) => s.id === `SUB${n}`)) n += 1;
    subjects.push({ id: `SUB${n}`, estimatedLocation: location });
  }
  return { ...tip, subjects };
}

export function withIndicator(tip: Tip, event: EventOf<'INDICATOR.ADD'>): Tip {
  if (event.p2p !== undefined) return { ...tip, p2p: [...(tip.p2p ?? []), event.p2p] };
  const ipEvent = event.ipEvent;
  const subjectId = event.subjectId;
  if (ipEvent === undefined || subjectId === undefined) return tip;
  const subjects = [...(tip.subjects ?? [])];
  const index = subjects.findIndex((s) => s.id === subjectId);
  const subject = subjects[index];
  if (subject === undefined) subjects.push({ id: subjectId, ipEvents: [ipEvent] });
  else subjects[index] = { ...subject, ipEvents: [...(subject.ipEvents ?? []), ipEvent] };
  return { ...tip, subjects };
}

export function withSupplement(tip: Tip, event: EventOf<'TIP.SUPPLEMENT'>): Tip {
  const { supplement } = event;
  const annotations = [...new Set([...(tip.incident.annotations ?? []), ...(supplement.annotations ?? [])])];
  const incident = {
    ...tip.incident,
    ...(supplement.escalateToHighPriority === true ? { escalateToHighPriority: true } : {}),
    ...(annotations.length > 0 ? { annotations } : {}),
  };
  const files = [...(tip.files ?? []), ...newFilesOf(tip, event)];
  return { ...tip, incident, ...(files.length > 0 ? { files } : {}) };
}

/**
 * The supplement's files the tip does not have yet, as many as its schema's limit still allows
 * (TIP_LIMITS.files): a supplement never grows a tip past what the tip schema accepts.
 */
export function newFilesOf(tip: Tip, event: EventOf<'TIP.SUPPLEMENT'>): NonNullable<Tip['files']> {
  const known = new Set((tip.files ?? []).map((f) => f.id));
  const fresh = (event.supplement.files ?? []).filter((f) => !known.has(f.id));
  return fresh.slice(0, Math.max(0, TIP_LIMITS.files - (tip.files ?? []).length));
}

/** How many of the supplement's new files were left out because the tip reached its file limit. */
export function filesOverLimit(tip: Tip, event: EventOf<'TIP.SUPPLEMENT'>): number {
  const known = new Set((tip.files ?? []).map((f) => f.id));
  return (event.supplement.files ?? []).filter((f) => !known.has(f.id)).length - newFilesOf(tip, event).length;
}
