/**
 * A queue that callbacks fill (stream events, worker messages) and one async reader drains, in
 * order: the bridge from event-style sources to `for await`.
 */
export class Inbox<T> {
  private readonly items: T[] = [];
  private wake: (() => void) | null = null;

  readonly push = (item: T): void => {
    this.items.push(item);
    const wake = this.wake;
    this.wake = null;
    wake?.();
  };

  /** The oldest item, waiting for one when the queue is empty. */
  async take(): Promise<T> {
    while (this.items.length === 0) await new Promise<void>((resolve) => (this.wake = resolve));
    return this.items.shift()!;
  }
}
