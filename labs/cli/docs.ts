/**
 * The parts of the docs the kit generates from code: each guide's architecture diagram and
 * cost table (dev profile), and the README's table of labs. `npm run lab -- docs` writes them;
 * a test fails when a guide has drifted from what the code synthesizes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../common/dist';
import { LABS } from '../index';
import { chargedItems, estimateCost, money, type CostEstimate } from './cost';
import { toMermaid } from './diagram';
import { guidePath, readBlock } from './guide';
import { synthesizeLab } from './synth';

export interface GeneratedDoc {
  readonly path: string;
  /** Block name to the content the code gives today. */
  readonly blocks: Readonly<Record<string, string>>;
  /** Block name to what the file holds now (undefined when the markers are missing). */
  readonly current: Readonly<Record<string, string | undefined>>;
}

export async function generatedDocs(): Promise<GeneratedDoc[]> {
  const docs: GeneratedDoc[] = [];
  const rows: string[] = [];
  for (const lab of LABS) {
    const output = await synthesizeLab(lab, 'dev', { validate: false, overrides: lab.example });
    const estimate = estimateCost(lab, output);
    docs.push(doc(guidePath(lab.id), { diagram: diagramBlock(toMermaid(output.resources)), cost: costBlock(estimate) }));
    rows.push(
      `| [${lab.title}](${guidePath(lab.id)}) | \`${lab.id}\` | ${lab.tool} | ${lab.cloud} | ${lab.level} | ${lab.minutes} min | ${priced(estimate.totalPerHour)} | ${priced(estimate.totalPerMonth)} |`,
    );
  }
  const labsTable = ['| lab | id | tool | cloud | level | time | dev cost/hour | dev cost/month |', '|---|---|---|---|---|---:|---:|---:|', ...rows, ''].join('\n');
  docs.push(doc('README.md', { labs: labsTable }));
  return docs;
}

const priced = (amount: number) => (amount === 0 ? 'free' : money(amount));

function doc(path: string, blocks: Record<string, string>): GeneratedDoc {
  const text = readFileSync(join(REPO_ROOT, path), 'utf8');
  return { path, blocks, current: Object.fromEntries(Object.keys(blocks).map((name) => [name, readBlock(text, name)])) };
}

function diagramBlock(mermaid: string): string {
  return [
    '```mermaid',
    mermaid.trimEnd(),
    '```',
    '',
    '_Drawn by `npm run lab -- docs` from the synthesized dev profile: a box per resource (repeats counted), arrows to what each uses._',
    '',
  ].join('\n');
}

export function costBlock(estimate: CostEstimate): string {
  const charged = chargedItems(estimate);
  const free = estimate.resources.filter((l) => l.basis === 'free').length;
  const basis = `Estimated by \`npm run lab -- docs\` from the synthesized dev profile, with the ${estimate.currency} list prices of ${estimate.priceDate} for ${estimate.region} in labs/cli/prices.json.`;
  if (charged.length === 0) return `${basis} None of its ${free} resources is charged.\n`;
  return [
    '| item | how it is charged | per hour | per month |',
    '|---|---|---:|---:|',
    ...charged.map((l) => `| ${l.item} | ${l.basis === 'usage' ? 'by use: ' : ''}${l.detail} | ${money(l.perHour)} | ${money(l.perMonth)} |`),
    `| **total** | | **${money(estimate.totalPerHour)}** | **${money(estimate.totalPerMonth)}** |`,
    '',
    `${basis} ${free} more resources carry no charge.`,
    '',
  ].join('\n');
}
