/**
 * Synthesizes one lab offline, with the lab's own tool, into the shared resource view and
 * (optionally) into `dist/<lab>/<profile>/`: CDK templates, the Pulumi offline plan, or
 * Kubernetes YAML. Every `lab` command and every exercise check starts here.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Yaml } from 'cdk8s';
import { displayPath, publishDir, stagingDir, writeDist } from '../../common/dist';
import type { Profile } from '../../common/profiles';
import type { Lab, LabOutput } from './lab';
import { fromCloudAssembly, fromManifests, fromOfflinePlan } from './resources';
import { testInventory } from './test-inventory';

export interface SynthOptions {
  /** Write the artefacts under dist/<lab>/<profile>/. @default false */
  readonly write?: boolean;
  /** Configuration on top of the lab's defaults, in the tool's own keys (CDK context, Pulumi config, K8S settings). */
  readonly overrides?: Readonly<Record<string, string>>;
  /**
   * Validate CDK templates against the CloudFormation schemas, as `cdk synth` does. About 3 s the
   * first time in a process: commands that only read the resources (cost, diagram, exercises) skip it.
   * @default true
   */
  readonly validate?: boolean;
}

/** Outputs already synthesized in this process: the code cannot change while it runs, so neither can they. */
const synthesized = new Map<string, Promise<LabOutput>>();

export function synthesizeLab(lab: Lab, profile: Profile, options: SynthOptions = {}): Promise<LabOutput> {
  if (options.write) return synthesize(lab, profile, options);
  const overrides = Object.entries(options.overrides ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const key = JSON.stringify([lab.id, profile, overrides, options.validate ?? true]);
  if (!synthesized.has(key)) synthesized.set(key, synthesize(lab, profile, options));
  return synthesized.get(key)!;
}

async function synthesize(lab: Lab, profile: Profile, options: SynthOptions): Promise<LabOutput> {
  const overrides = options.overrides ?? {};
  const write = options.write ?? false;
  const outDir = `${lab.id}/${profile}`;
  switch (lab.source.kind) {
    case 'cdk': {
      // Loaded on demand: each tool's libraries take a second to load, and a command needs one tool.
      const [{ createCdkApp }, { AWS_LABS }] = await Promise.all([import('../../aws/constructs/cdk-app'), import('../../aws/labs')]);
      // Written into dist/ it is synthesized aside and published whole: concurrent synths never mix.
      const outdir = write ? stagingDir() : mkdtempSync(join(tmpdir(), 'iac-lab-'));
      try {
        // validate: false (the exercise checks, cost, diagrams) also skips the Guard rules, 4 s a synth.
        const app = createCdkApp({ context: { ...lab.source.requiredContext?.[profile], ...overrides, env: profile }, outdir, validate: options.validate, controlTowerRules: options.validate });
        const assembly = AWS_LABS[lab.source.app](app).synth();
        const resources = fromCloudAssembly(assembly);
        if (!write) return { lab: lab.id, profile, resources, files: [] };
        const sizes = assembly.stacks.map((stack) => ({ name: basename(stack.templateFullPath), bytes: statSync(stack.templateFullPath).size }));
        const published = publishDir(outdir, outDir);
        return { lab: lab.id, profile, resources, files: sizes.map(({ name, bytes }) => ({ path: displayPath(join(published, name)), bytes })) };
      } finally {
        rmSync(outdir, { recursive: true, force: true });
      }
    }
    case 'pulumi': {
      // What dist/ holds is the real preview (the program started as `pulumi preview` starts it, unknowns
      // included); the exercise checks read the in-process run, whose mocks give every output a value.
      const plan = write
        ? (await (await import('../../gcp/preview/preview-lab')).previewLab(lab.source.program, profile, overrides)).plan
        : await (await import('../../gcp/offline/plan')).planLab(lab.source.program, profile, overrides);
      const files = write ? [writeDist(`${outDir}/plan.json`, `${JSON.stringify(plan, null, 2)}\n`)] : [];
      return { lab: lab.id, profile, resources: fromOfflinePlan(plan.resources), files };
    }
    case 'cdk8s': {
      const { synthCharts } = await import('../../k8s/synth');
      const chart = lab.source.chart;
      const manifests = synthCharts({ profile, overrides }).find((c) => c.chart === chart)!.manifests;
      const files = write ? [writeDist(`${outDir}/${chart}.k8s.yaml`, `---\n${Yaml.stringify(...manifests)}`)] : [];
      return { lab: lab.id, profile, resources: fromManifests(manifests), files };
    }
    case 'kit': {
      const inventory = testInventory();
      // The test suite has no profiles: one inventory, whichever profile was asked for.
      const files = write ? [writeDist(`${lab.id}/test-inventory.json`, `${JSON.stringify(inventory.files, null, 2)}\n`)] : [];
      return { lab: lab.id, profile, resources: inventory.resources, files };
    }
  }
}
