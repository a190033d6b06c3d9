// A LISTEN connection of its own (a pooled client cannot hold one): connected on `start()`, and when it drops,
// or cannot be made, connected again in the background, waiting a little longer each time (100 ms to 5 s).
// Used by the event store's feed (pg-feed.ts) and the instances' signals (instance-signals.ts).
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { CONNECT_TIMEOUT_MS } from './pg-database.js';

export interface PgListenerOptions {
  connectionString: string;
  channel: string;
  /** A notification's payload on the channel. */
  onNotification: (payload: string) => void;
  /** After a reconnection (what was notified while the connection was down was not heard). */
  onReconnected?: () => void;
}

export class PgListener {
  private client: pg.Client | null = null;
  private starting: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly options: PgListenerOptions) {}

  /** Whether the connection is listening now. */
  get listening(): boolean {
    return this.client !== null;
  }

  /** Connects once (later calls wait for the same); a connection that cannot be made now is retried in the background. */
  start(): Promise<void> {
    this.starting ??= this.connect().catch(() => void this.reconnect());
    return this.starting;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.starting;
    const client = this.client;
    this.client = null;
    if (client !== null) {
      client.removeAllListeners();
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
    }
  }

  private async connect(): Promise<void> {
    const { connectionString, channel, onNotification } = this.options;
    const client = new pg.Client({ connectionString, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
    const lost = () => {
      if (this.client !== client) return;
      this.client = null;
      client.removeAllListeners();
      client.on('error', () => undefined);
      void client.end().catch(() => undefined);
      void this.reconnect();
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (message) => {
      if (message.channel === channel && message.payload !== undefined) onNotification(message.payload);
    });
    await client.connect();
    await client.query(`LISTEN ${channel}`);
    if (this.closed) {
      // Closed while connecting: this connection is nobody's.
      client.removeAllListeners();
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
  }

  private async reconnect(): Promise<void> {
    for (let wait = 100; !this.closed && this.client === null; wait = Math.min(wait * 2, 5_000)) {
      // Wall-clock waiting is the shell's business: a database server is being waited for.
      await sleep(wait);
      if (this.closed) return;
      try {
        await this.connect();
      } catch {
        continue;
      }
      if (this.client !== null) this.options.onReconnected?.();
    }
  }
}
