// `tipflow aar`: the after-action report draft (DESIGN §14) of saved sessions, debriefs or results exports,
// as self-contained HTML (default) or Markdown, on stdout or into a file.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { Engine } from '../../engine/index.js';
import { bundledReference } from '../../io/bundled-reference.js';
import { buildAar, type AarSession } from '../../scenario/aar.js';
import { renderAarHtml } from '../../scenario/aar-html.js';
import { AarInputError, aarSessionsOf } from '../../scenario/aar-input.js';
import { renderAarMarkdown } from '../../scenario/aar-markdown.js';

export function aarCommand(files: string[], options: { md?: boolean; output?: string }): number {
  const engine = new Engine(bundledReference());
  const sessions: AarSession[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      process.stderr.write(`tipflow aar: ${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})\n`);
      return 1;
    }
    try {
      sessions.push(...aarSessionsOf(file, basename(file, extname(file)), text, engine));
    } catch (error) {
      if (!(error instanceof AarInputError)) throw error;
      process.stderr.write(`tipflow aar: ${error.message}\n`);
      return 1;
    }
  }
  if (sessions.length === 0) {
    process.stderr.write('tipflow aar: the files hold no graded session (a results export lists only sessions of an exercise)\n');
    return 1;
  }
  const model = buildAar(sessions, { registry: engine.reference.jurisdictions });
  const text = options.md === true ? renderAarMarkdown(model) : renderAarHtml(model);
  if (options.output === undefined) process.stdout.write(text);
  else {
    writeFileSync(options.output, text);
    process.stderr.write(`wrote ${options.output}: ${model.overview.attempts} attempts of ${model.overview.trainees.length} trainees\n`);
  }
  return 0;
}
