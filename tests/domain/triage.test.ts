import { describe, expect, it } from 'vitest';
import { priorityFor, trackFor, viralDuplicateOf } from '../../src/domain/triage.js';
import { INCIDENT_TYPES, type IncidentType } from '../../src/domain/tip/vocabulary.js';
import { file, HASH_A, HASH_B, IP, ipEvent, p2pRow, subject, tipWith } from './builders.js';

const EXPECTED_PRIORITY: Record<IncidentType, 'P1' | 'P2' | 'P3'> = {
  'child-sex-trafficking': 'P1',
  'child-sexual-molestation': 'P1',
  'online-enticement': 'P2',
  'child-pornography-manufacture': 'P2',
  'unsolicited-obscene-material-to-child': 'P2',
  'child-sex-tourism': 'P2',
  'child-pornography-possession': 'P3',
  'child-pornography-distribution': 'P3',
  'misleading-domain-name': 'P3',
  'misleading-words-or-digital-images': 'P3',
};

describe('triage: priority', () => {
  it('covers every incident type of the vocabulary', () => {
    expect(Object.keys(EXPECTED_PRIORITY).sort()).toEqual([...INCIDENT_TYPES].sort());
  });

  it.each(Object.entries(EXPECTED_PRIORITY) as [IncidentType, string][])('gives type %s priority %s', (type, priority) => {
    expect(priorityFor(tipWith({ type })).value).toBe(priority);
  });

  it('makes any type P1 when the reporter escalated it to high priority', () => {
    const decided = priorityFor(tipWith({ type: 'misleading-domain-name', incident: { escalateToHighPriority: true } }));
    expect(decided.value).toBe('P1');
    expect(decided.reason).toContain('escalated');
  });

  it('does not raise priority when escalateToHighPriority is false', () => {
    expect(priorityFor(tipWith({ incident: { escalateToHighPriority: false } })).value).toBe('P3');
  });

  it.each([['sextortion' as const], ['sadisticOnlineExploitation' as const]])('makes a P3 type P1 when annotated %s', (annotation) => {
    const decided = priorityFor(tipWith({ type: 'child-pornography-possession', incident: { annotations: [annotation] } }));
    expect(decided.value).toBe('P1');
    expect(decided.reason).toContain(annotation);
  });

  it.each([['csamSolicitation' as const], ['minorToMinorInteraction' as const], ['spam' as const], ['potentialMeme' as const], ['viral' as const]])(
    'leaves priority to the type when annotated only %s',
    (annotation) => {
      expect(priorityFor(tipWith({ type: 'online-enticement', incident: { annotations: [annotation] } })).value).toBe('P2');
    },
  );

  it('names the type in the reason', () => {
    expect(priorityFor(tipWith({ type: 'child-sex-tourism' })).reason).toContain('child-sex-tourism');
  });
});

describe('triage: track', () => {
  const memes = [file('F1', ['potentialMeme']), file('F2', ['viral'], HASH_B)];

  it('is informational when every file is a potential meme or viral and there is no IP event or P2P observation', () => {
    expect(trackFor(tipWith({ files: memes })).value).toBe('informational');
  });

  it('is informational with both annotations on a file', () => {
    expect(trackFor(tipWith({ files: [file('F1', ['potentialMeme', 'viral'])] })).value).toBe('informational');
  });

  it('is referral when the tip has no files', () => {
    expect(trackFor(tipWith({})).value).toBe('referral');
  });

  it('is referral when one file is not annotated', () => {
    expect(trackFor(tipWith({ files: [...memes, file('F3', undefined, HASH_B)] })).value).toBe('referral');
  });

  it('is referral when one file has an empty annotation list', () => {
    expect(trackFor(tipWith({ files: [...memes, file('F3', [], HASH_B)] })).value).toBe('referral');
  });

  it('is referral when meme files come with an IP event', () => {
    expect(trackFor(tipWith({ files: memes, subjects: [subject('S1', [ipEvent(IP.houston)])] })).value).toBe('referral');
  });

  it('is referral when meme files come with a P2P observation', () => {
    expect(trackFor(tipWith({ files: memes, p2p: [p2pRow(IP.houston)] })).value).toBe('referral');
  });

  it('stays informational when the only location is an estimated location (not an IP event or P2P)', () => {
    const tip = tipWith({ files: memes, subjects: [subject('S1', [], { countryCode: 'US', region: 'TX', city: 'Houston' })] });
    expect(trackFor(tip).value).toBe('informational');
  });

  it('does not let incident-level potentialMeme / viral annotations make the track informational', () => {
    const tip = tipWith({ incident: { annotations: ['potentialMeme', 'viral'] }, files: [file('F1')] });
    expect(trackFor(tip).value).toBe('referral');
  });

  it('does not need incident-level annotations for the informational track', () => {
    const tip = tipWith({ incident: { annotations: ['spam'] }, files: memes });
    expect(trackFor(tip).value).toBe('informational');
  });
});

describe('triage: viral duplicates', () => {
  it('finds a viral file whose hash is on an open tip', () => {
    expect(viralDuplicateOf(tipWith({ files: [file('F1', ['viral'])] }), new Set([HASH_A]))).toBe(HASH_A);
  });

  it('matches the hash case-insensitively in the tip', () => {
    expect(viralDuplicateOf(tipWith({ files: [file('F1', ['viral'], HASH_A.toUpperCase())] }), new Set([HASH_A]))).toBe(HASH_A);
  });

  it('ignores a same-hash file that is not annotated viral', () => {
    expect(viralDuplicateOf(tipWith({ files: [file('F1', ['potentialMeme'])] }), new Set([HASH_A]))).toBeNull();
  });

  it('finds nothing when no open tip has the hash', () => {
    expect(viralDuplicateOf(tipWith({ files: [file('F1', ['viral'])] }), new Set([HASH_B]))).toBeNull();
    expect(viralDuplicateOf(tipWith({ files: [file('F1', ['viral'])] }), new Set())).toBeNull();
  });
});
