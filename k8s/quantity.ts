/**
 * Kubernetes resource quantities (`250m`, `0.5`, `512Mi`, `1G`), read the way the API server reads them.
 * The configuration uses them to validate what a learner types; the checks use them to add up requests.
 */

const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([KMGTPE]i|[numkMGTPE])|[eE]([+-]?\d+))?$/;

const SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The value of a quantity in base units (cores or bytes), or undefined when Kubernetes would reject it. */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = QUANTITY.exec(value);
  if (!match) return undefined;
  const [, number, suffix, exponent] = match;
  const scale = suffix ? SUFFIX[suffix] : exponent ? 10 ** Number(exponent) : 1;
  return Number(number) * scale;
}

export const MIB = 2 ** 20;

/** `0.25` -> 250 millicores; undefined unless it is a positive whole number of millicores. */
export function cpuMillis(value: unknown): number | undefined {
  const cores = typeof value === 'string' && /^(\d+m|\d+(\.\d{1,3})?)$/.test(value) ? parseQuantity(value) : undefined;
  const millis = cores === undefined ? undefined : Math.round(cores * 1000);
  return millis && millis > 0 ? millis : undefined;
}

/** `1Gi` -> 1024 MiB; only binary units (Mi, Gi) so every value is a whole number of MiB. */
export function mebibytes(value: unknown): number | undefined {
  const match = typeof value === 'string' ? /^([1-9]\d*)(Mi|Gi)$/.exec(value) : null;
  if (!match) return undefined;
  return Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1);
}

export function formatCpu(millis: number): string {
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

export function formatMemory(mebibytes: number): string {
  return mebibytes % 1024 === 0 ? `${mebibytes / 1024}Gi` : `${mebibytes}Mi`;
}
