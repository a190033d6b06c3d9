// Limits of a decision event's fields, read from the JSON Schema the reference carries (GET /api/reference),
// so the form fields say what the server will accept.
import type { ClientReference } from './types.js';

interface FieldSchema {
  maxLength?: number;
}

function fieldOf(reference: ClientReference, eventType: string, field: string): FieldSchema | undefined {
  const schema = reference.events[eventType] as { properties?: Record<string, FieldSchema> } | undefined;
  return schema?.properties?.[field];
}

export const maxLengthOf = (reference: ClientReference, eventType: string, field: string): number | undefined => fieldOf(reference, eventType, field)?.maxLength;

