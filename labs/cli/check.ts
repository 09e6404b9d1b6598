/**
 * `lab check`: a lab's policy checks (cdk-nag, the CIS policies, the Kubernetes gate) in both
 * profiles, then its Jest tests, reported step by step; and `--exercise N`, a learner's check.
 */
import { REPO_ROOT } from '../../common/dist';
import { PROFILES, type Profile } from '../../common/profiles';
import { type FileResult, runJest } from './jest';
import type { Lab, LabOutput } from './lab';
import { synthesizeLab } from './synth';

export interface StepResult {
  readonly step: string;
  readonly pass: boolean;
  /** What failed, one line each; what passed, in a few words. */
  readonly details: readonly string[];
  readonly seconds: number;
}

export interface CheckReport {
  readonly lab: string;
  readonly pass: boolean;
  readonly steps: StepResult[];
}

/** Where progress goes: a line as each step starts and ends. */
export interface Progress {
  start(step: string): void;
  end(result: StepResult): void;
}

interface Step {
  readonly name: string;
  run(): Promise<Omit<StepResult, 'step' | 'seconds'>>;
}

export interface CheckOptions {
  /** Run the labs' tests after their policies. @default true */
  readonly tests?: boolean;
  /** How the tests run. @default runJest */
  readonly runTests?: (patterns: readonly string[]) => Promise<FileResult[]>;
}

/** Runs the policy steps of every lab, then one Jest run over all their tests, and reports per lab. */
export async function checkLabs(labs: readonly Lab[], progress: Progress, options: CheckOptions = {}): Promise<CheckReport[]> {
  const reports = new Map<string, StepResult[]>(labs.map((lab) => [lab.id, []]));
  for (const lab of labs) {
    for (const step of policySteps(lab)) reports.get(lab.id)!.push(await runStep(`${lab.id}: ${step.name}`, step, progress));
  }
  if (options.tests ?? true) await testStep(labs, progress, options.runTests ?? runJest, reports);
  return labs.map((lab) => {
    const steps = reports.get(lab.id)!;
    return { lab: lab.id, pass: steps.every((s) => s.pass), steps };
  });
}

/** One Jest run over the tests of all the labs, reported as a step of each lab. */
async function testStep(labs: readonly Lab[], progress: Progress, runTests: NonNullable<CheckOptions['runTests']>, reports: Map<string, StepResult[]>): Promise<void> {
  const patterns = [...new Set(labs.flatMap((lab) => lab.tests))];
  progress.start(`tests: ${patterns.join(' ')}`);
  const started = Date.now();
  const files = await runTests(patterns);
  for (const lab of labs) {
    const own = testFilesOf(lab, files);
    const failed = own.filter((f) => !f.pass);
    const result: StepResult = {
      step: `${lab.id}: tests`,
      pass: own.length > 0 && failed.length === 0,
      details:
        own.length === 0
          ? [`no test files under ${lab.tests.join(', ')}`]
          : failed.length > 0
            ? failed.flatMap((f) => [`${f.file}: ${f.failures.length} failing`, ...f.failures.map((name) => `  ✗ ${name}`)])
            : [`${own.reduce((sum, f) => sum + f.tests, 0)} tests in ${own.length} files passed`],
      seconds: (Date.now() - started) / 1000,
    };
    progress.end(result);
    reports.get(lab.id)!.push(result);
  }
}

/** The files of a Jest run that are `lab`'s: its tests are Jest path patterns, regular expressions (auto-pipe's leaves test/aws/ecommerce/ out). */
export function testFilesOf(lab: Pick<Lab, 'tests'>, files: readonly FileResult[]): FileResult[] {
  return files.filter((f) => lab.tests.some((pattern) => new RegExp(pattern).test(f.file)));
}

async function runStep(name: string, step: Step, progress: Progress): Promise<StepResult> {
  progress.start(name);
  const started = Date.now();
  let outcome: Omit<StepResult, 'step' | 'seconds'>;
  try {
    outcome = await step.run();
  } catch (err) {
    outcome = { pass: false, details: [(err as Error).message.split('\n')[0]] };
  }
  const result = { step: name, ...outcome, seconds: (Date.now() - started) / 1000 };
  progress.end(result);
  return result;
}

/** The lab's own policy checks in each profile. */
function policySteps(lab: Lab): Step[] {
  const source = lab.source;
  switch (source.kind) {
    case 'cdk':
      return PROFILES.map((profile) => ({
        name: `cdk-nag AwsSolutions and CloudFormation schemas (${profile})`,
        run: async () => {
          // Both run inside synth: an unacknowledged finding or a schema error fails it.
          const output = await synthesizeLab(lab, profile);
          const stacks = new Set(output.resources.map((r) => r.group));
          return { pass: true, details: [`${stacks.size} stacks, ${output.resources.length} resources, no findings`] };
        },
      }));
    case 'pulumi':
      return PROFILES.map((profile) => ({
        name: `CIS policies (${profile})`,
        run: async () => {
          const [{ planLab }, { runPolicies }] = await Promise.all([import('../../gcp/offline/plan'), import('../../gcp/policies')]);
          const findings = runPolicies((await planLab(source.program, profile)).resources, { profile });
          const failed = findings.filter((f) => !f.pass);
          return {
            pass: failed.length === 0,
            details: failed.length
              ? failed.map((f) => `${f.policyId}${f.cisId ? ` (CIS ${f.cisId})` : ''} ${f.resource}: ${f.message}`)
              : [`${new Set(findings.map((f) => f.policyId)).size} policies, ${findings.length} verdicts, all pass`],
          };
        },
      }));
    case 'cdk8s':
      return PROFILES.map((profile) => ({
        name: `schema and pod policies (${profile})`,
        run: async () => {
          const [{ synthCharts }, { checkManifests, formatRef }] = await Promise.all([import('../../k8s/synth'), import('../../k8s/checks')]);
          const manifests = synthCharts({ profile }).find((c) => c.chart === source.chart)!.manifests;
          const results = checkManifests(manifests);
          const failed = results.filter((r) => !r.pass);
          return {
            pass: failed.length === 0,
            details: failed.length
              ? failed.map((r) => `${r.check} ${formatRef(r.object)} ${r.field}: ${r.message}`)
              : [`${manifests.length} objects, ${results.length} checks, all pass`],
          };
        },
      }));
    case 'kit':
      return [];
  }
}

export interface ExerciseReport {
  readonly lab: string;
  readonly exercise: number;
  readonly title: string;
  readonly pass: boolean;
  readonly problems: readonly string[];
}

/**
 * Checks one exercise against the lab as the working tree synthesizes it now, as a reviewer would:
 * both profiles must still synthesize, the exercise's own check judges the change, and a chart
 * must also pass the whole gate in both profiles and write only into its own namespaces.
 */
export async function checkExercise(lab: Lab, number: number): Promise<ExerciseReport> {
  const exercise = lab.exercises.find((e) => e.number === number)!;
  const report = (problems: readonly string[]): ExerciseReport => ({ lab: lab.id, exercise: number, title: exercise.title, pass: problems.length === 0, problems: [...new Set(problems)] });
  const synthesized = await Promise.all(
    PROFILES.map(async (profile) => {
      try {
        return { profile, output: await synthesizeLab(lab, profile, { validate: false }) };
      } catch (err) {
        return { profile, failure: `the ${profile} profile no longer synthesizes: ${oneLine(err)}. Fix it so \`npm run lab -- synth ${lab.id}\` passes` };
      }
    }),
  );
  const failures = synthesized.flatMap((s) => (s.failure === undefined ? [] : [s.failure]));
  if (failures.length > 0) return report(failures);
  const outputs = Object.fromEntries(synthesized.map((s) => [s.profile, s.output!])) as Record<Profile, LabOutput>;
  const own = await exercise.check({ ...outputs, root: REPO_ROOT });
  if (lab.source.kind !== 'cdk8s') return report(own);
  const { chartProblems } = await import('./manifest-checks');
  const gate = await Promise.all(PROFILES.map((profile) => chartProblems(outputs[profile].resources.map((r) => r.props), profile)));
  return report([...own, ...gate.flat()]);
}

/** An error's first line: the message a tool threw, without its stack. */
/** The error's whole message on one line: constructs' validation puts the reason on the lines after the first. */
function oneLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/\s*\n\s*/g, ' ').replace(/:\s*$/, '').trim();
}
