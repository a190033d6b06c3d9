// Bearer tokens checked against the database are trusted for a short while, so a class stepping through
// exercises does not cost a token query per request. Only positive answers are kept (an unknown token is
// asked again), entries expire after `ttlMs` of the caller's clock, and logging out forgets one at once. A
// lookup is asynchronous: an answer that a forget overtook (the token was deleted, the password changed while
// the database was being asked) is given to its request but not kept.
import type { User } from '../store/account-store.js';

const MAX_ENTRIES = 10_000;

export class TokenCache {
  private readonly entries = new Map<string, { user: User; checkedAt: number }>();
  /** Counts the forgets: a lookup begun before one is not cached. */
  private forgets = 0;

  constructor(
    private readonly lookup: (hash: string, nowMs: number) => Promise<User | null>,
    private readonly ttlMs: number,
  ) {}

  /** The user of a token (by its hash) at `nowMs`, or null when the token is unknown or expired. */
  async userFor(hash: string, nowMs: number): Promise<User | null> {
    const cached = this.entries.get(hash);
    // A clock that went backwards (a test's, or the machine's) does not extend trust either.
    if (cached !== undefined && nowMs >= cached.checkedAt && nowMs - cached.checkedAt < this.ttlMs) return cached.user;
    this.entries.delete(hash);
    const forgetsBefore = this.forgets;
    const user = await this.lookup(hash, nowMs);
    if (user === null || this.forgets !== forgetsBefore) return user;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(hash, { user, checkedAt: nowMs });
    return user;
  }

  forget(hash: string): void {
    this.forgets += 1;
    this.entries.delete(hash);
  }

  /** Stops trusting every token (a logout or a password change elsewhere may have gone unheard). */
  forgetAll(): void {
    this.forgets += 1;
    this.entries.clear();
  }

  /** Stops trusting every token of a user at once (their password changed). */
  forgetUser(userId: string): void {
    this.forgets += 1;
    for (const [hash, entry] of this.entries) if (entry.user.id === userId) this.entries.delete(hash);
  }
}
