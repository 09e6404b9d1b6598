/** Prints an offline plan the way `pulumi preview` prints a plan. */
import { SECRET_MASK, UNKNOWN, type OfflinePlan, type PlannedResource } from './plan-model';

/** `gcp:container/cluster:Cluster` -> `gcp:container:Cluster`, the short form the Pulumi CLI displays. */
export function displayType(type: string): string {
  const [pkg, module, name] = type.split(':');
  if (name === undefined) return type;
  const [head, last] = module.split('/');
  return last !== undefined && last.toLowerCase() === name.toLowerCase() ? `${pkg}:${head}:${name}` : type;
}

/** The resource tree with `+ <type> <name> create` rows, the stack outputs and the `+ N to create` summary. */
export function renderPlan(plan: OfflinePlan): string {
  const rows = treeRows(plan.resources);
  const typeWidth = Math.max('Type'.length, ...rows.map((r) => r.type.length));
  const nameWidth = Math.max('Name'.length, ...rows.map((r) => r.name.length));
  const line = (mark: string, type: string, name: string, op: string) => `${mark.padEnd(5)}${type.padEnd(typeWidth)}  ${name.padEnd(nameWidth)}  ${op}`.trimEnd();
  const keys = Object.keys(plan.outputs);
  const keyWidth = Math.max(0, ...keys.map((k) => k.length));
  return [
    `Previewing update (${plan.stack}), offline: no Google Cloud provider runs, so what only Google knows shows as ${UNKNOWN}.`,
    '',
    line('', 'Type', 'Name', 'Plan'),
    ...rows.map((r) => line(' +', r.type, r.name, 'create')),
    '',
    'Outputs:',
    ...keys.map((key) => `    ${key.padEnd(keyWidth)}: ${formatValue(plan.outputs[key])}`),
    '',
    'Resources:',
    `    + ${plan.resources.length} to create`,
    '',
  ].join('\n');
}

function treeRows(resources: readonly PlannedResource[]): { type: string; name: string }[] {
  const rows: { type: string; name: string }[] = [];
  const visit = (parent: string | undefined, indent: string) => {
    const children = resources.filter((r) => r.parent === parent);
    children.forEach((child, index) => {
      const last = index === children.length - 1;
      const branch = parent === undefined ? '' : `${indent}${last ? '└─ ' : '├─ '}`;
      rows.push({ type: `${branch}${displayType(child.type)}`, name: child.name });
      visit(child.name, parent === undefined ? '' : `${indent}${last ? '   ' : '│  '}`);
    });
  };
  visit(undefined, '');
  return rows;
}

function formatValue(value: unknown): string {
  return value === SECRET_MASK || value === UNKNOWN ? value : JSON.stringify(value);
}
