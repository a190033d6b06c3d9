// `tipflow schema tip|scenario`: the JSON Schemas editors and other tools use. The copies in schemas/ are
// what bundled exercise files point their `$schema` at; a test keeps them equal to this output.
import { z } from 'zod';
import { tipSchema } from '../../domain/tip/schema.js';
import { exerciseSchema } from '../../scenario/format.js';
import { answersFileSchema } from '../../scenario/answers.js';

export const SCHEMAS = { tip: tipSchema, scenario: exerciseSchema, answers: answersFileSchema } as const;
export type SchemaName = keyof typeof SCHEMAS;

export function jsonSchemaText(what: SchemaName): string {
  const schema = z.toJSONSchema(SCHEMAS[what], { target: 'draft-2020-12', unrepresentable: 'any', io: 'input' });
  return `${JSON.stringify({ $id: `https://tipflow.example.org/schema/${what}.json`, ...schema }, null, 2)}\n`;
}

export function schemaCommand(what: string): number {
  if (!(what in SCHEMAS)) {
    process.stderr.write(`tipflow schema: unknown schema ${what}; available: ${Object.keys(SCHEMAS).join(', ')}\n`);
    return 2;
  }
  process.stdout.write(jsonSchemaText(what as SchemaName));
  return 0;
}
