// One at a time per key: the read-check-write of a request (is this the session's last record? may this
// trainee start one more assessment?) spans awaits now that the store answers asynchronously, so two requests
// of the same key take turns instead of both passing the check. Only this process's requests are ordered;
// between server instances the store's own checks (expected sequence, unique ids) decide.
export class KeyedLock {
  /** Per key, the end of the last task queued (the key is dropped once its queue is empty). */
  private readonly tails = new Map<string, Promise<void>>();

  /**
   * Runs `task` once every task queued before it under `key` has settled; resolves or rejects as it does.
   * `waited` tells the task whether another was ahead of it (what it read before may have changed).
   */
  run<T>(key: string, task: (waited: boolean) => Promise<T>): Promise<T> {
    const ahead = this.tails.get(key);
    const result = ahead === undefined ? task(false) : ahead.then(() => task(true));
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with a task running or waiting (for tests). */
  get size(): number {
    return this.tails.size;
  }
}
