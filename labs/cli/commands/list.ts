/** `lab list [--json]`: the labs, with what their dev profile costs an hour. */
import { LABS } from '../../index';
import { estimateCost, money } from '../cost';
import { table } from '../format';
import type { Io } from '../io';
import { synthesizeLab } from '../synth';

const LAB_COST_BASIS = 'list prices from labs/cli/prices.json (npm run lab -- cost <lab> itemizes them)';

export async function list(json: boolean, io: Io): Promise<number> {
  const rows = [];
  for (const lab of LABS) {
    const estimate = estimateCost(lab, await synthesizeLab(lab, 'dev', { validate: false }));
    rows.push({ id: lab.id, title: lab.title, tool: lab.tool, cloud: lab.cloud, level: lab.level, minutes: lab.minutes, devCostPerHour: estimate.totalPerHour, currency: estimate.currency });
  }
  if (json) {
    io.out(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  io.out(
    `${table(
      ['lab', 'tool', 'cloud', 'level', 'time', 'dev cost/hour'],
      rows.map((r) => [r.id, r.tool, r.cloud, r.level, `${r.minutes} min`, r.devCostPerHour === 0 ? 'free' : money(r.devCostPerHour)]),
      [false, false, false, false, true, true],
    )}\n\nnpm run lab -- show <lab> for a lab's steps; costs are ${LAB_COST_BASIS}.\n`,
  );
  return 0;
}
