/** `lab cost <lab> [--profile dev|prod] [--hours N] [--json]`: each charge, per hour and per month. */
import type { Profile } from '../../../common/profiles';
import { chargedItems, type CostEstimate, estimateCost, money } from '../cost';
import { summarizeTypes, table } from '../format';
import type { Io } from '../io';
import type { Lab } from '../lab';
import { synthesizeLab } from '../synth';

export async function cost(lab: Lab, profile: Profile, hours: number | undefined, json: boolean, io: Io): Promise<number> {
  const estimate = estimateCost(lab, await synthesizeLab(lab, profile, { validate: false }));
  if (json) {
    const extra = hours === undefined ? {} : { hours, totalForHours: Math.round(estimate.totalPerHour * hours * 100) / 100 };
    io.out(`${JSON.stringify({ ...estimate, ...extra }, null, 2)}\n`);
    return 0;
  }
  io.out(`${formatCost(estimate, hours)}\n`);
  return 0;
}

/** The cost table of an estimate, as printed and as kept in the guides. */
export function formatCost(estimate: CostEstimate, hours?: number): string {
  const charged = chargedItems(estimate);
  const free = estimate.resources.filter((l) => l.basis === 'free');
  const lines = [
    `${estimate.lab} (${estimate.profile}), ${estimate.region}, ${estimate.currency} list prices of ${estimate.priceDate}`,
    '',
    table(
      ['item', 'how it is charged', 'per hour', 'per month'],
      charged.map((l) => [l.item, `${l.basis === 'usage' ? 'by use: ' : ''}${l.detail}`, money(l.perHour), money(l.perMonth)]),
      [false, false, true, true],
    ),
    '',
    `total: ${money(estimate.totalPerHour)} an hour, ${money(estimate.totalPerMonth)} a month (730 hours)`,
  ];
  if (hours !== undefined) lines.push(`for ${hours} hour${hours === 1 ? '' : 's'}: ${money(estimate.totalPerHour * hours)}`);
  lines.push(`no charge: ${free.length} resources (${summarizeTypes(free.map((l) => l.type))})`);
  return lines.join('\n');
}
