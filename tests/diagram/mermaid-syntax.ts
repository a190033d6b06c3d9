// What Mermaid's stateDiagram-v2 grammar takes, as far as tipflow's export uses it: every line one of the
// statement forms below, braces balanced, ids plain and no keyword, labels without the characters that end
// (`;`) or comment out (`#`) a statement except as entity codes (`#59;`).

const ID = '[A-Za-z][A-Za-z0-9_]*';
export const LABEL = '(?:[A-Za-z0-9 ._\\-\\[\\]()]|#\\d+;)+';
const STATEMENTS = [
  new RegExp(`^%% .*$`),
  new RegExp(`^state ${ID} \\{$`),
  /^\}$/,
  /^--$/,
  new RegExp(`^\\[\\*\\] --> ${ID}$`),
  new RegExp(`^${ID} --> \\[\\*\\]$`),
  new RegExp(`^${ID}$`),
  new RegExp(`^state "[^"#;]*" as ${ID}$`),
  new RegExp(`^${ID} --> ${ID} : ${LABEL}$`),
  new RegExp(`^classDef ${ID} [a-z-]+:[#\\w]+(?:,[a-z-]+:[#\\w]+)*$`),
  new RegExp(`^class ${ID}(?:, ${ID})* ${ID}$`),
];
const KEYWORDS = new Set(['state', 'note', 'end', 'as', 'direction', 'class', 'classdef', 'style', 'scale', 'hide']);

export function syntaxProblems(text: string): string[] {
  const problems: string[] = [];
  const lines = text.trimEnd().split('\n');
  if (lines[0] !== 'stateDiagram-v2') problems.push(`first line is ${lines[0]}, not stateDiagram-v2`);
  let depth = 0;
  for (const [index, raw] of lines.slice(1).entries()) {
    const line = raw.trim();
    if (!STATEMENTS.some((form) => form.test(line))) problems.push(`line ${index + 2} is no statement Mermaid takes: ${raw}`);
    if (line.endsWith('{')) depth += 1;
    if (line === '}') depth -= 1;
    if (depth < 0) problems.push(`line ${index + 2} closes a block that is not open`);
    for (const word of line.replace(/ : .*$/, '').split(/[\s,]+/)) {
      if (KEYWORDS.has(word.toLowerCase()) && !/^(state|class|classDef|as)$/.test(word)) problems.push(`line ${index + 2} uses the keyword ${word} as an id`);
    }
  }
  if (depth !== 0) problems.push(`${depth} blocks left open`);
  return problems;
}

