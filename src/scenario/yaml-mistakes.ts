// The YAML mistakes instructors make, said in their terms (issue 15, item 4): the parser's own messages
// ("Unexpected flow-seq-start at node end", then sixty more) name tokens, not the fix. Each recognised
// mistake gets one message that says what to write instead; the parser's cascade after it is dropped.

/** A value with [ ] inside a { } map, such as `{ indicatorId: subjects[0].ipEvents[0], … }`. */
const BRACKETED_IN_FLOW_MAP = /[{,]\s*([A-Za-z][\w-]*):\s*([A-Za-z_][\w.-]*\[[^\]"',}]*\][^,}"']*)/;

export interface LineMistake {
  line: number;
  column: number;
  message: string;
}

/**
 * Unquoted values with brackets inside a flow map, line by line: the parser reads `[` as the start of a
 * list and reports a cascade. Only lines before (or at) the parser's first error are considered.
 */
export function bracketedValuesInFlowMaps(text: string, firstErrorLine: number): LineMistake[] {
  const out: LineMistake[] = [];
  text.split('\n').forEach((content, index) => {
    const line = index + 1;
    if (line > firstErrorLine) return;
    const code = content.replace(/\s#.*$/, '');
    const match = BRACKETED_IN_FLOW_MAP.exec(code);
    if (match?.[1] === undefined || match[2] === undefined) return;
    const value = match[2].trim();
    out.push({
      line,
      column: code.indexOf(value, match.index) + 1,
      message: `YAML: ${value} must be quoted inside { }: brackets start a list there; write ${match[1]}: "${value}"`,
    });
  });
  return out;
}

/** The parser's error, explained where the mistake is a common one; otherwise its first line. */
export function explainYamlError(code: string, message: string, lineText: string, column: number): string {
  const first = message.split('\n')[0] ?? code;
  const rest = lineText.slice(Math.max(column - 1, 0));
  switch (code) {
    case 'TAB_AS_INDENT':
      return 'YAML: a tab indents this line; YAML indents with spaces only';
    case 'DUPLICATE_KEY': {
      const key = /^\s*([^:#]+?)\s*:/.exec(rest)?.[1];
      return `YAML: ${key === undefined ? 'this key' : key} appears twice in the same mapping; keep one`;
    }
    case 'BAD_SCALAR_START':
      return `YAML: a value cannot start with ${rest.charAt(0) || 'this character'} unquoted; put the value in quotes: "${rest.trim()}"`;
    case 'MISSING_CHAR':
      if (/quote/.test(first)) return 'YAML: a quoted value is never closed; add the closing quote';
      break;
    case 'BLOCK_AS_IMPLICIT_KEY': {
      // `message: Note: the agency acknowledges.`: a colon and a space inside a plain value start a new key.
      const valueWithColon = /^\s*(?:- )?[\w-]+: (?!["'|>])(.*?: .*)$/.exec(lineText);
      if (valueWithColon?.[1] !== undefined) return `YAML: this value holds ": " (a colon and a space), which starts a new key; put the whole value in quotes: "${valueWithColon[1].trim()}"`;
      break;
    }
    case 'UNEXPECTED_TOKEN':
      if (/^\*\w/.test(rest) || /:\s+\*\w[^\n]*$/.test(lineText)) return 'YAML: a value starting with * is read as a reference to an anchor; put the value in quotes';
      break;
  }
  return `YAML: ${first}`;
}
