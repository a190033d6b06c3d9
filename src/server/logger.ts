// Structured logs (pino, JSON lines) that never carry a secret: authorization headers, passwords, tokens
// and password hashes are redacted wherever they appear in a logged object.
import { pino, type DestinationStream, type Logger } from 'pino';

export const REDACTED_PATHS = [
  'authorization',
  'req.headers.authorization',
  'headers.authorization',
  'password',
  '*.password',
  'passwordHash',
  '*.passwordHash',
  'token',
  '*.token',
];

export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  const config = { level: options.level ?? process.env.TIPFLOW_LOG_LEVEL ?? 'info', redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { app: 'tipflow' } };
  return options.destination === undefined ? pino(config) : pino(config, options.destination);
}
