import { z } from 'zod';
import { tipSchema } from '../../domain/tip/schema.js';
import { exerciseSchema } from '../../scenario/format.js';

const SCHEMAS = { tip: tipSchema, scenario: exerciseSchema } as const;

export function schemaCommand(what: string): number {
  if (!(what in SCHEMAS)) {
    process.stderr.write(`tipflow schema: unknown schema ${what}; available: ${Object.keys(SCHEMAS).join(', ')}\n`);
    return 2;
  }
  const schema = z.toJSONSchema(SCHEMAS[what as keyof typeof SCHEMAS], { target: 'draft-2020-12', unrepresentable: 'any', io: 'input' });
  process.stdout.write(`${JSON.stringify({ $id: `https://tipflow.example.org/schema/${what}.json`, ...schema }, null, 2)}\n`);
  return 0;
}
