/**
 * Numbers the README and the guides quote from the kit's commands (resources synthesized, resources a
 * plan creates, objects and checks the Kubernetes gate counts), recomputed from the code: `lab docs`
 * rewrites them in place and `lab docs --check` fails when one has drifted. Each rule finds the
 * number by the words around it, as the command prints them, and names what it counts.
 */
import type { Profile } from '../../common/profiles';
import { LABS, type LabId } from '../index';
import { synthesizeLab } from './synth';

/** What the kit's commands print today, computed on demand and once. */
export interface Facts {
  /** `npm run synth`: `<lab> (<profile>): N resources`. */
  synthesized(lab: LabId, profile: Profile): Promise<number>;
  /** `npm run plan -- <lab>`: `+ N to create`. */
  planned(lab: 'gke' | 'cloudsql' | 'platform', profile: Profile): Promise<number>;
  /** `npm run k8s:check`: `N objects, M passed` for one chart's file. */
  gate(chart: 'web-app' | 'order-processing', profile: Profile): Promise<{ objects: number; passed: number }>;
}

/** One file's quoted numbers: `rewrite` returns the text with every number it knows set to today's value. */
export interface QuotedNumbers {
  readonly path: string;
  rewrite(text: string, facts: Facts): Promise<string>;
}

type Value = (match: RegExpExecArray) => Promise<number>;

/** Replaces the number each named group of `pattern` captures with that group's value today. */
async function replaceGroups(text: string, pattern: RegExp, values: Readonly<Record<string, Value>>): Promise<string> {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(new RegExp(pattern.source, `${pattern.flags}d`))) {
    const groups = Object.keys(values)
      .map((name) => ({ name, at: match.indices!.groups![name] }))
      .filter((g): g is { name: string; at: [number, number] } => g.at !== undefined)
      .sort((a, b) => a.at[0] - b.at[0]);
    for (const { name, at } of groups) {
      out += text.slice(last, at[0]) + String(await values[name](match as RegExpExecArray));
      last = at[1];
    }
  }
  return out + text.slice(last);
}

/** `<lab> (<profile>): N resources` lines, and `testing-iac: N resources`, as `npm run synth` prints them. */
const synthLines = (text: string, facts: Facts) =>
  replaceGroups(text, /^ *(?<lab>[a-z-]+)(?: \((?<profile>dev|prod)\))?: (?<n>\d+) resources$/gm, {
    n: async (m) => {
      const lab = LABS.find((l) => l.id === m.groups!.lab);
      return lab === undefined ? Number(m.groups!.n) : facts.synthesized(lab.id, (m.groups!.profile ?? 'dev') as Profile);
    },
  });

/** `+ N to create` and `+ N created` of one lab's dev plan. */
const planCounts = (lab: 'gke' | 'cloudsql' | 'platform') => (text: string, facts: Facts) =>
  replaceGroups(text, /\+ (?<n>\d+) (?:to create|created)/g, { n: () => facts.planned(lab, 'dev') });

/** `N objects, M passed` after the report's title: `web-app (dev)` or `dist/k8s/dev/web-app.k8s.yaml`. */
async function gateTotals(text: string, facts: Facts): Promise<string> {
  const lines = text.split('\n');
  let chart: { name: 'web-app' | 'order-processing'; profile: Profile } | undefined;
  for (const [i, line] of lines.entries()) {
    const title = /^\s*(?:dist\/k8s\/(?<fileProfile>dev|prod)\/(?<file>web-app|order-processing)\.k8s\.yaml|(?<name>web-app|order-processing) \((?<profile>dev|prod)\))$/.exec(line);
    if (title?.groups?.file !== undefined) chart = { name: title.groups.file as 'web-app', profile: title.groups.fileProfile as Profile };
    else if (title?.groups?.name !== undefined) chart = { name: title.groups.name as 'web-app', profile: title.groups.profile as Profile };
    const totals = /^(?<indent>\s*)\d+ objects, \d+ passed, 0 failed$/.exec(line);
    if (totals && chart) {
      const { objects, passed } = await facts.gate(chart.name, chart.profile);
      lines[i] = `${totals.groups!.indent}${objects} objects, ${passed} passed, 0 failed`;
    }
  }
  return lines.join('\n');
}

const all =
  (...rules: ((text: string, facts: Facts) => Promise<string>)[]) =>
  async (text: string, facts: Facts) => {
    let out = text;
    for (const rule of rules) out = await rule(out, facts);
    return out;
  };

export const QUOTED_NUMBERS: readonly QuotedNumbers[] = [
  {
    path: 'README.md',
    rewrite: all(synthLines, planCounts('gke'), gateTotals, (text, facts) =>
      // "`npm run plan -- cloudsql` and `npm run plan -- platform --profile prod` work the same way (20 and 51 resources)"
      replaceGroups(text, /work the same way \((?<cloudsql>\d+) and (?<platform>\d+)\s+resources\)/g, {
        cloudsql: () => facts.planned('cloudsql', 'dev'),
        platform: () => facts.planned('platform', 'prod'),
      }),
    ),
  },
  { path: 'labs/gke/README.md', rewrite: planCounts('gke') },
  { path: 'labs/cloudsql/README.md', rewrite: planCounts('cloudsql') },
  { path: 'labs/gcp-platform/README.md', rewrite: planCounts('platform') },
  { path: 'labs/k8s-web-app/README.md', rewrite: gateTotals },
  {
    path: 'labs/order-processing/README.md',
    // "Apply the dev profile (64 objects; excerpt)": what kubectl creates, the chart's synthesized objects.
    rewrite: all(gateTotals, (text, facts) =>
      replaceGroups(text, /Apply the dev profile \((?<n>\d+) objects/g, { n: () => facts.synthesized('order-processing', 'dev') }),
    ),
  },
  { path: 'labs/testing-iac/README.md', rewrite: synthLines },
];

/** The facts as the commands compute them, each once. */
export function liveFacts(): Facts {
  const memo = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, compute: () => Promise<T>): Promise<T> => {
    if (!memo.has(key)) memo.set(key, compute());
    return memo.get(key) as Promise<T>;
  };
  return {
    synthesized: (labId, profile) =>
      once(`synth ${labId} ${profile}`, async () => {
        const lab = LABS.find((l) => l.id === labId)!;
        return (await synthesizeLab(lab, lab.source.kind === 'kit' ? 'dev' : profile, { validate: false })).resources.length;
      }),
    planned: (lab, profile) =>
      once(`plan ${lab} ${profile}`, async () => {
        const { planLab } = await import('../../gcp/offline/plan');
        return (await planLab(lab, profile)).resources.length;
      }),
    gate: (chart, profile) =>
      once(`gate ${chart} ${profile}`, async () => {
        const [{ synthCharts }, { checkManifests }, { summarize }] = await Promise.all([import('../../k8s/synth'), import('../../k8s/checks'), import('../../k8s/checks/report')]);
        return summarize(checkManifests(synthCharts({ profile }).find((c) => c.chart === chart)!.manifests));
      }),
  };
}

/** The files whose quoted numbers differ from today's, with their text as it should be. */
export async function staleQuotedNumbers(read: (path: string) => string, facts: Facts = liveFacts()): Promise<{ path: string; fixed: string }[]> {
  const stale: { path: string; fixed: string }[] = [];
  for (const { path, rewrite } of QUOTED_NUMBERS) {
    const text = read(path);
    const fixed = await rewrite(text, facts);
    if (fixed !== text) stale.push({ path, fixed });
  }
  return stale;
}
