/**
 * What an offline plan holds, whichever way the program ran (in-process under mocks, or as
 * `pulumi preview` starts it): the resources in tree order with their inputs, and the outputs.
 */
import type { Lab, Profile } from '../config';

export const SECRET_MASK = '[secret]';

/** What a preview shows in place of a value known only once the resource exists (`output<T>` in `pulumi preview`). */
export const UNKNOWN = '[unknown until applied]';

export interface PlannedResource {
  /** The type token, e.g. `gcp:container/cluster:Cluster` (components: `iac-lab-kit:gcp:GkeLab`). */
  readonly type: string;
  /** The logical name, unique within a plan. */
  readonly name: string;
  /** Name of the parent resource; only the stack has none. */
  readonly parent?: string;
  /** The inputs the program passed, secrets replaced by `[secret]`. */
  readonly inputs: Record<string, unknown>;
  /** Names of the resources this one depends on (explicit dependsOn and outputs used as inputs), parent aside. */
  readonly dependencies: string[];
}

export interface OfflinePlan {
  readonly lab: Lab;
  readonly profile: Profile;
  /** The stack the plan stands for, `<lab>-<profile>`. */
  readonly stack: string;
  /** The config the program ran with (project defaults, stack file, overrides). */
  readonly config: Readonly<Record<string, string>>;
  /** In tree order: the stack first, each parent before its children. */
  readonly resources: PlannedResource[];
  /** Stack outputs, secrets replaced by `[secret]`. */
  readonly outputs: Record<string, unknown>;
}

/** One resource as the engine saw it registered. */
export interface RegisteredResource {
  readonly type: string;
  readonly name: string;
  readonly parentUrn: string;
  readonly dependencyUrns: readonly string[];
  readonly inputs: Record<string, unknown>;
  readonly urn?: string;
}

/** Tree order (each parent before its children, siblings in registration order), like `pulumi preview`. */
export function toPlannedResources(registrations: readonly RegisteredResource[], mask: (value: Record<string, unknown>) => Record<string, unknown>): PlannedResource[] {
  const nameOf = new Map(registrations.map((r) => [r.urn, r.name]));
  const duplicate = registrations.find((r, i) => registrations.findIndex((other) => other.name === r.name) !== i);
  if (duplicate) throw new Error(`Two resources are named "${duplicate.name}": plans identify resources by name, make it unique.`);
  const planned = registrations.map((r): PlannedResource => {
    const parent = nameOf.get(r.parentUrn);
    const dependencies = [...new Set(r.dependencyUrns.map((urn) => nameOf.get(urn) ?? urn))]
      .filter((name) => name !== parent)
      .sort();
    return { type: r.type, name: r.name, ...(parent === undefined ? {} : { parent }), inputs: mask(r.inputs), dependencies };
  });
  const ordered: PlannedResource[] = [];
  const visit = (parent: string | undefined) => {
    for (const resource of planned.filter((r) => r.parent === parent)) {
      ordered.push(resource);
      visit(resource.name);
    }
  };
  visit(undefined);
  return ordered;
}

