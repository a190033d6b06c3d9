// Bearer tokens checked against the database are trusted for a short while, so a class stepping through
// exercises does not cost a token query per request. Only positive answers are kept (an unknown token is
// asked again), entries expire after `ttlMs` of the caller's clock, and logging out forgets one at once.
import type { User } from '../store/account-store.js';

const MAX_ENTRIES = 10_000;

export class TokenCache {
  private readonly entries = new Map<string, { user: User; checkedAt: number }>();

  constructor(
    private readonly lookup: (hash: string, nowMs: number) => User | null,
    private readonly ttlMs: number,
  ) {}

  /** The user of a token (by its hash) at `nowMs`, or null when the token is unknown or expired. */
  userFor(hash: string, nowMs: number): User | null {
    const cached = this.entries.get(hash);
    // A clock that went backwards (a test's, or the machine's) does not extend trust either.
    if (cached !== undefined && nowMs >= cached.checkedAt && nowMs - cached.checkedAt < this.ttlMs) return cached.user;
    this.entries.delete(hash);
    const user = this.lookup(hash, nowMs);
    if (user === null) return null;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(hash, { user, checkedAt: nowMs });
    return user;
  }

  forget(hash: string): void {
    this.entries.delete(hash);
  }

  /** Stops trusting every token of a user at once (their password changed). */
  forgetUser(userId: string): void {
    for (const [hash, entry] of this.entries) if (entry.user.id === userId) this.entries.delete(hash);
  }
}
