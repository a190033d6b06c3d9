import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jsonSchemaText } from '../../src/cli/commands/schema.js';
import { fixturePath, PROJECT_ROOT } from '../../src/io/project-files.js';

describe('schemas/ copies of the JSON Schemas', () => {
  it.each(['tip', 'scenario', 'answers'] as const)('schemas/%s.schema.json is what `tipflow schema` prints (run npm run schemas to refresh)', (name) => {
    expect(readFileSync(`${PROJECT_ROOT}/schemas/${name}.schema.json`, 'utf8')).toBe(jsonSchemaText(name));
  });

  it('is what bundled exercises point editors at', () => {
    const first = readFileSync(fixturePath('scenarios', 'webmail-houston.yaml'), 'utf8').split('\n')[0];
    expect(first).toBe('# yaml-language-server: $schema=../../schemas/scenario.schema.json');
  });
});
