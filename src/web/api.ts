// The browser's side of the classroom API (docs/server.md): JSON calls with the bearer token, and
// server-sent events read with fetch (EventSource cannot send an Authorization header).
const TOKEN_KEY = 'tipflow.token';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(typeof body.error === 'string' ? body.error : `request failed (${status})`);
  }
}

export const savedToken = (): string | null => sessionStorage.getItem(TOKEN_KEY);
export const saveToken = (token: string | null): void => (token === null ? sessionStorage.removeItem(TOKEN_KEY) : sessionStorage.setItem(TOKEN_KEY, token));

function headers(json: boolean): Record<string, string> {
  const token = savedToken();
  return { ...(json ? { 'content-type': 'application/json' } : {}), ...(token === null ? {} : { authorization: `Bearer ${token}` }), accept: 'application/json' };
}

/** Calls the API; a non-2xx answer throws ApiError with the server's JSON (its `error` is the message). */
export async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, { method, headers: headers(body !== undefined), ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? null : JSON.parse(text);
  } catch {
    parsed = { error: text.slice(0, 200) };
  }
  if (!response.ok) {
    if (response.status === 401 && path !== '/api/login') saveToken(null);
    throw new ApiError(response.status, (parsed ?? {}) as Record<string, unknown>);
  }
  return parsed as T;
}

/** Plain text (CSV) from the API, for downloads. */
export async function apiText(path: string): Promise<string> {
  const response = await fetch(path, { headers: headers(false) });
  if (!response.ok) throw new ApiError(response.status, { error: `download failed (${response.status})` });
  return response.text();
}

export interface StreamMessage {
  event: string;
  data: unknown;
}

/**
 * Follows a server-sent event stream until `signal` aborts, reconnecting after a dropped connection.
 * `onOpen` runs on every (re)connection, so the caller can reload what it may have missed.
 */
export async function follow(path: string, onMessage: (message: StreamMessage) => void, signal: AbortSignal, onOpen: () => void = () => undefined): Promise<void> {
  while (!signal.aborted) {
    try {
      const response = await fetch(path, { headers: { ...headers(false), accept: 'text/event-stream' }, signal });
      if (!response.ok || response.body === null) throw new ApiError(response.status, { error: 'stream refused' });
      onOpen();
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const message = parseBlock(block);
          if (message !== null) onMessage(message);
          end = buffer.indexOf('\n\n');
        }
      }
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof ApiError && (error.status === 401 || error.status === 403 || error.status === 404)) return;
    }
    // Reconnect after a pause (wall-clock UI timing, not simulated time).
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

function parseBlock(block: string): StreamMessage | null {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
  }
  if (data.length === 0) return null;
  try {
    return { event, data: JSON.parse(data.join('\n')) as unknown };
  } catch {
    return null;
  }
}

/** A fresh caller event id (letters, digits and - only, as the API accepts). */
export const newEventId = (): string => `web-${crypto.randomUUID()}`;
