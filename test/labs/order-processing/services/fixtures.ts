/** What the services' tests share: a valid order and a log sink that parses each JSON line. */
import type { Order } from '../../../../labs/order-processing/services/shared/src/order';

/** A valid order: 2 x 12.50 + 1 x 5.00 = 30.00. */
export const ORDER: Order = {
  id: 'order-1',
  customer: 'ada@example.com',
  items: [
    { sku: 'book-42', quantity: 2, unitPrice: 12.5 },
    { sku: 'pen-7', quantity: 1, unitPrice: 5 },
  ],
  total: 30,
};

/** A `write` for createLogger that keeps the lines; `lines()` parses them (each must be one JSON object). */
export function capture(): { write: (line: string) => void; lines: () => Record<string, unknown>[] } {
  const written: string[] = [];
  return {
    write: (line) => void written.push(line),
    lines: () =>
      written.map((line) => {
        expect(line.endsWith('\n') && !line.slice(0, -1).includes('\n')).toBe(true);
        return JSON.parse(line) as Record<string, unknown>;
      }),
  };
}
