/**
 * Idempotency by order id, what makes at-least-once delivery safe: a broker redelivers a message whose
 * ack it never saw, and a client may post the same order twice; either way the order is processed once.
 */
import type { Order } from './order';

/** The ids already processed (or being processed). Swap in a shared store (e.g. Redis SET NX) for replicas. */
export interface ProcessedOrders {
  /** Claims `id` for processing: false when it was processed or claimed before. */
  claim(id: string): boolean;
  /** Gives a claim back after processing failed, so the redelivery is processed. */
  release(id: string): void;
}

/**
 * Remembers the last `capacity` ids in this process: a redelivery or a repeated post reaching the same
 * consumer process is skipped. A restarted process forgets, so an order whose ack was lost in a crash
 * is processed again (at least once, never lost); several replicas each remember their own.
 */
export class InMemoryProcessedOrders implements ProcessedOrders {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity = 100_000) {}

  claim(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    // A Set iterates in insertion order: the first entry is the oldest.
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value as string);
    return true;
  }

  release(id: string): void {
    this.ids.delete(id);
  }
}

export type Outcome = 'processed' | 'duplicate';

/** Runs `process` for `order` unless its id was processed before; a failure releases the id and rethrows. */
export async function processOnce(store: ProcessedOrders, order: Order, process: (order: Order) => void | Promise<void>): Promise<Outcome> {
  if (!store.claim(order.id)) return 'duplicate';
  try {
    await process(order);
  } catch (err) {
    store.release(order.id);
    throw err;
  }
  return 'processed';
}
