// Reading a JSON file for a person: a syntax error is reported as file:line:col with what was expected,
// never as a byte offset or a copy of the file.
import { readFileSync } from 'node:fs';
import { parse as parseTolerant, printParseErrorCode, type ParseError } from 'jsonc-parser';

export class InputFileError extends Error {}

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

const READABLE: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected a colon',
  CommaExpected: 'expected a comma',
  CloseBraceExpected: 'expected }',
  CloseBracketExpected: 'expected ]',
  EndOfFileExpected: 'expected the end of the file',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'comments are not allowed in JSON',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character in a string',
};

/** Where and why `text` is not JSON, for a text JSON.parse refused. */
function locateSyntaxError(text: string): { offset: number; message: string } {
  const errors: ParseError[] = [];
  parseTolerant(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (first === undefined) return { offset: 0, message: 'not valid JSON' };
  const code = printParseErrorCode(first.error);
  return { offset: first.offset, message: READABLE[code] ?? code };
}

export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const { offset, message } = locateSyntaxError(text);
    const where = lineAndColumn(text, offset);
    throw new InputFileError(`${file}:${where.line}:${where.column}: not valid JSON: ${message}`);
  }
}

export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputFileError(`${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a JSON file' : (error as Error).message}`);
  }
  return parseJsonText(text, file);
}
