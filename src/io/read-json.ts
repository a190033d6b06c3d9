// Reading a JSON file for a person: a syntax error is reported as file:line:col, not a byte offset.
import { readFileSync } from 'node:fs';

export class InputFileError extends Error {}

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputFileError(`${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a JSON file' : (error as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const where = position === null ? { line: 1, column: 1 } : lineAndColumn(text, Number(position[1]));
    throw new InputFileError(`${file}:${where.line}:${where.column}: not valid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}`);
  }
}
