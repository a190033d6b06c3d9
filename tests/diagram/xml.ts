// A small XML well-formedness check for the SVG (no DOMParser in Node, and no dependency for one check):
// one root element, tags balanced and properly nested, attributes quoted and not repeated, `<` never
// raw in text or attribute values, `&` only as a predefined or numeric entity.

const NAME = '[A-Za-z_][\\w.:-]*';
const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;
const TOKEN = new RegExp(`<!--[\\s\\S]*?-->|<!\\[CDATA\\[[\\s\\S]*?\\]\\]>|<\\/(${NAME})\\s*>|<(${NAME})((?:\\s+${NAME}\\s*=\\s*(?:"[^"]*"|'[^']*'))*)\\s*(\\/?)>|<|[^<]+`, 'g');
const ATTRIBUTE = new RegExp(`(${NAME})\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, 'g');

/** The problems that make `text` not well-formed XML (empty when it is). */
export function xmlProblems(text: string): string[] {
  const problems: string[] = [];
  const open: string[] = [];
  let roots = 0;
  const checkAmpersands = (chunk: string, where: string): void => {
    if (chunk.replace(ENTITY, '').includes('&')) problems.push(`raw & in ${where}: ${chunk.slice(0, 60)}`);
  };
  for (const match of text.matchAll(TOKEN)) {
    const [token, closing, opening, attributes = '', selfClosing] = match;
    if (token.startsWith('<!--') || token.startsWith('<![CDATA[')) continue;
    if (closing !== undefined) {
      const expected = open.pop();
      if (expected !== closing) problems.push(`</${closing}> closes <${expected ?? 'nothing'}>`);
      continue;
    }
    if (opening !== undefined) {
      if (open.length === 0) roots += 1;
      const seen = new Set<string>();
      for (const attribute of attributes.matchAll(ATTRIBUTE)) {
        const [, name = '', double, single] = attribute;
        if (seen.has(name)) problems.push(`<${opening}> repeats ${name}`);
        seen.add(name);
        const value = double ?? single ?? '';
        if (value.includes('<')) problems.push(`< in attribute ${name} of <${opening}>`);
        checkAmpersands(value, `attribute ${name} of <${opening}>`);
      }
      if (selfClosing !== '/') open.push(opening);
      continue;
    }
    if (token === '<') {
      problems.push(`raw < or a malformed tag at offset ${match.index}: ${text.slice(match.index, match.index + 60)}`);
      continue;
    }
    if (open.length === 0 && token.trim() !== '') problems.push(`text outside the root element: ${token.slice(0, 60)}`);
    checkAmpersands(token, 'text');
  }
  if (open.length > 0) problems.push(`unclosed: ${open.join(' > ')}`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}
