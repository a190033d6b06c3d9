// Passwords (scrypt, salted, compared in constant time), bearer tokens (random, stored as SHA-256) and
// join codes. Node's crypto only.
import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const N = 16_384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, options: ScryptOptions, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, length, { ...options, maxmem: 64 * 1024 * 1024 }, (error, key) => (error === null ? resolve(key) : reject(error)));
  });
}

/** `scrypt$N$r$p$salt$key`, salt and key in base64url. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, { N, r: R, p: P }, KEY_LENGTH);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || n === undefined || r === undefined || p === undefined || salt === undefined || key === undefined) return false;
  const expected = Buffer.from(key, 'base64url');
  if (expected.length === 0) return false;
  const actual = await derive(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) }, expected.length);
  return timingSafeEqual(actual, expected);
}

/** A hash to verify against when the user does not exist, so the answer takes as long either way. */
let dummy: Promise<string> | null = null;
export function dummyPasswordHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(12).toString('base64url'));
  return dummy;
}

export const newToken = (): string => randomBytes(32).toString('base64url');
export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');
export const newId = (): string => randomBytes(12).toString('base64url');

/**
 * The id of the session a practice undo forks from session `id`, shaped like newId's: the session's own, so
 * that a second fork of it, from whichever server instance, is refused by the store as a taken id.
 */
export const forkIdOf = (id: string): string => createHash('sha256').update(`undo\u0000${id}`).digest().subarray(0, 12).toString('base64url');

/**
 * The id of the session of a trainee's `n`th counted assessment attempt of an exercise (counted from `since`),
 * shaped like newId's: two starts of the same attempt, from whichever server instance, take the same id, and
 * the store refuses the second as a taken id.
 */
export const attemptIdOf = (userId: string, exerciseId: string, since: string, n: number): string =>
  createHash('sha256').update(`attempt\u0000${userId}\u0000${exerciseId}\u0000${since}\u0000${n}`).digest().subarray(0, 12).toString('base64url');
/** A one-time password for the first instructor: 18 characters, base64url. */
export const newPassword = (): string => randomBytes(14).toString('base64url').slice(0, 18);

/** 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L), easy to read out in a classroom. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export function newJoinCode(): string {
  const bytes = randomBytes(8);
  let code = '';
  for (const byte of bytes) code += CODE_ALPHABET[byte % CODE_ALPHABET.length];
  return code;
}
