/** IPv4 CIDR arithmetic shared by the configuration checks and the policies. */

const ADDRESSES = 2 ** 32;

/** The first and last address of an IPv4 CIDR block, or undefined when it is not one. */
function rangeOf(cidr: string): [number, number] | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!match) return undefined;
  const prefix = Number(match[5]);
  if (prefix > 32 || match.slice(1, 5).some((o) => Number(o) > 255)) return undefined;
  const address = match.slice(1, 5).reduce((acc, o) => acc * 256 + Number(o), 0);
  const size = 2 ** (32 - prefix);
  const start = address - (address % size);
  return [start, start + size - 1];
}

/**
 * Whether these blocks together admit every IPv4 address, as 0.0.0.0/0 does: 0.0.0.0/1 with
 * 128.0.0.0/1 is the whole internet too, and an allow-list must never be.
 */
export function coversWholeInternet(cidrs: readonly unknown[]): boolean {
  const ranges = cidrs
    .map((c) => (typeof c === 'string' ? rangeOf(c) : undefined))
    .filter((r): r is [number, number] => r !== undefined)
    .sort((a, b) => a[0] - b[0]);
  let next = 0;
  for (const [start, end] of ranges) {
    if (start > next) return false;
    next = Math.max(next, end + 1);
    if (next >= ADDRESSES) return true;
  }
  return false;
}
