import { z } from 'zod';
import { tipSchema } from '../../domain/tip/schema.js';

export function schemaCommand(what: string): number {
  if (what !== 'tip') {
    process.stderr.write(`tipflow schema: unknown schema ${what}; available: tip\n`);
    return 2;
  }
  const schema = z.toJSONSchema(tipSchema, { target: 'draft-2020-12', unrepresentable: 'any' });
  process.stdout.write(`${JSON.stringify({ $id: 'https://tipflow.example.org/schema/tip.json', ...schema }, null, 2)}\n`);
  return 0;
}
