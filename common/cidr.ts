/** IPv4 CIDR arithmetic shared by the configuration checks, the policies and the exercise checks. */

const ADDRESSES = 2 ** 32;

export interface Ipv4Cidr {
  /** The address as written, as a number (host bits included). */
  readonly address: number;
  readonly prefix: number;
}

/** `a.b.c.d/n`, or undefined when the text is not an IPv4 CIDR block. */
export function parseIpv4Cidr(text: string): Ipv4Cidr | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  return { address: octets.reduce((acc, o) => acc * 256 + o, 0), prefix };
}

/** The block's first address (host bits cleared). */
export function networkOf({ address, prefix }: Ipv4Cidr): number {
  const size = 2 ** (32 - prefix);
  return address - (address % size);
}

/** `a.b.c.d/n` of a block's network address: the form an API accepts when host bits were set. */
export function formatNetwork(cidr: Ipv4Cidr): string {
  const network = networkOf(cidr);
  return `${[24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256).join('.')}/${cidr.prefix}`;
}

/** Whether `inner` lies inside `outer`. */
export function contains(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
  return inner.prefix >= outer.prefix && networkOf({ address: inner.address, prefix: outer.prefix }) === networkOf(outer);
}

/**
 * Whether these blocks together admit every IPv4 address, as 0.0.0.0/0 does: 0.0.0.0/1 with
 * 128.0.0.0/1 is the whole internet too, and an allow-list must never be.
 */
export function coversWholeInternet(cidrs: readonly unknown[]): boolean {
  const ranges = cidrs
    .map((c) => (typeof c === 'string' ? parseIpv4Cidr(c) : undefined))
    .filter((c): c is Ipv4Cidr => c !== undefined)
    .map((c): [number, number] => [networkOf(c), networkOf(c) + 2 ** (32 - c.prefix) - 1])
    .sort((a, b) => a[0] - b[0]);
  let next = 0;
  for (const [start, end] of ranges) {
    if (start > next) return false;
    next = Math.max(next, end + 1);
    if (next >= ADDRESSES) return true;
  }
  return false;
}
