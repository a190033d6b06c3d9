import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { documentationIp, exampleEmail, exampleUrl, freeString, tipSchema } from '../../src/domain/tip/schema.js';

// The exported JSON Schema cannot run our code, so it carries patterns; they must agree with the code.
const patternOf = (schema: z.ZodType): RegExp => new RegExp((z.toJSONSchema(schema) as { pattern: string }).pattern);

describe('tip JSON Schema (tipflow schema tip)', () => {
  it('is strict at every level: additionalProperties false', () => {
    const json = JSON.stringify(z.toJSONSchema(tipSchema, { unrepresentable: 'any' }));
    expect(json).toContain('"additionalProperties":false');
    expect(json).not.toContain('"additionalProperties":true');
  });

  it.each(['192.0.2.0', '198.51.100.255', '203.0.113.7', '2001:db8::1', '2001:DB8:ffff::1', '8.8.8.8', '192.0.3.1', '2001:4860::8888', '203.0.113.256', 'example.com'])(
    'agrees with the program on the address %s',
    (ip) => {
      expect(patternOf(documentationIp).test(ip)).toBe(documentationIp.safeParse(ip).success);
    },
  );

  it.each(['a@example.org', 'b.c@mail.example.com', 'a@gmail.com', 'a@example.com.evil.org', 'a@notexample.com'])('agrees with the program on the e-mail %s', (email) => {
    expect(patternOf(exampleEmail).test(email)).toBe(exampleEmail.safeParse(email).success);
  });

  it.each(['https://mail.example.com', 'http://example.net/a?b=c', 'https://example.com.evil.org', 'javascript:alert(1)', 'ftp://example.com'])(
    'agrees with the program on the URL %s',
    (url) => {
      expect(patternOf(exampleUrl).test(url)).toBe(exampleUrl.safeParse(url).success);
    },
  );

  it('limits free strings to 80 characters and refuses data: URIs and base64', () => {
    const json = z.toJSONSchema(freeString) as { maxLength: number; not: { pattern: string } };
    expect(json.maxLength).toBe(80);
    const forbidden = new RegExp(json.not.pattern);
    expect(forbidden.test('data:image/png;base64,AAAA')).toBe(true);
    expect(forbidden.test('Example Mail (fictional)')).toBe(false);
  });
});
