// Loads the reference data shipped in fixtures/ (copies of shared/data, never read at run time).
import { readFileSync } from 'node:fs';
import { createReference, type Reference } from '../domain/reference/reference.js';
import { fixturePath } from './project-files.js';

export const GEO_REFERENCE_FILE = fixturePath('geo-reference.yaml');
export const JURISDICTIONS_REFERENCE_FILE = fixturePath('jurisdictions-reference.yaml');

let bundled: Reference | null = null;

export function loadReference(geoFile = GEO_REFERENCE_FILE, jurisdictionsFile = JURISDICTIONS_REFERENCE_FILE): Reference {
  return createReference(readFileSync(geoFile, 'utf8'), readFileSync(jurisdictionsFile, 'utf8'), { geo: geoFile, jurisdictions: jurisdictionsFile });
}

/** The bundled reference, loaded and validated once per process. */
export function bundledReference(): Reference {
  bundled ??= loadReference();
  return bundled;
}
