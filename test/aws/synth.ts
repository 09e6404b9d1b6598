/**
 * Test support: synthesizes the real Auto-Pipe app (cdk.json's context, validation and
 * cdk-nag on) once per test file, and reads what synth produced.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { createAutoPipeApp } from '../../aws/auto-pipe/app';
import { GUARD } from '../../aws/constructs/cdk-app';
import { CONTEXT_KEYS } from '../../aws/auto-pipe/config';

/** The context a learner deploys with: a repository to trust. */
export const LAB_CONTEXT = { githubRepo: 'octo-org/auto-pipe' } as const;

/**
 * `context` with every Auto-Pipe key a learner may keep in cdk.json unset first, so the tests
 * check the kit's own defaults; cdk.json's feature flags still apply.
 */
export function testContext(context: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...Object.fromEntries(CONTEXT_KEYS.map((key) => [key, undefined])), ...context };
}

/** A synthesized CloudFormation template, as much of it as tests read directly. */
export interface CfnTemplate {
  readonly Resources: Record<string, CfnResourceJson>;
  readonly Outputs?: Record<string, unknown>;
}
export interface CfnResourceJson {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

export interface Finding {
  readonly plugin: string;
  readonly rule: string;
  readonly severity: string;
  readonly paths: readonly string[];
}

export interface SynthesizedAutoPipe {
  readonly app: App;
  /** The stack with this id, e.g. `AutoPipeService-dev`. */
  stack<T extends Stack>(id: string): T;
  /** Its template as synth wrote it, for snapshots. */
  json(id: string): CfnTemplate;
  /** Its template for fine-grained assertions. */
  template(id: string): Template;
  /** Unacknowledged findings of every validation plugin, from the report synth wrote. */
  readonly findings: readonly Finding[];
  /** Construct annotations of this level (`warning`, `error`) on the stack, as `path: message`. */
  annotations(id: string, level: 'warning' | 'error'): string[];
}

/**
 * Synthesizes once and removes the cloud assembly after the file's tests. Call at the top
 * level of a test file (it registers an afterAll hook).
 */
export function synthAutoPipe(context: Record<string, unknown>, options: { readonly validate?: boolean } = {}): SynthesizedAutoPipe {
  const outdir = mkdtempSync(join(tmpdir(), 'auto-pipe-test-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));
  const app = createAutoPipeApp({ context: testContext(context), outdir, validate: options.validate });
  const assembly = app.synth();

  const json = (id: string) => JSON.parse(readFileSync(join(outdir, `${id}.template.json`), 'utf8')) as CfnTemplate;
  const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
    pluginReports: { pluginName: string; violations: { ruleName: string; severity: string; violatingConstructs: { constructPath: string }[] }[] }[];
  };
  return {
    app,
    stack: <T extends Stack>(id: string) => app.node.findChild(id) as T,
    json,
    template: (id) => Template.fromJSON(json(id)),
    // Read from this synth: assertions' Annotations.fromStack would synthesize the app again.
    annotations: (id, level) =>
      assembly
        .getStackArtifact(id)
        .messages.filter((m) => m.level === level)
        .map((m) => `${m.id}: ${String(m.entry.data)}`),
    findings: report.pluginReports.flatMap((r) =>
      r.violations.map((v) => ({
        plugin: r.pluginName,
        rule: v.ruleName,
        severity: v.severity,
        paths: v.violatingConstructs.map((c) => c.constructPath),
      })),
    ),
  };
}

export interface Acknowledgement {
  /** Construct path the acknowledgement is attached to. */
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}

/** Every cdk-nag acknowledgement (`Validations.of(x).acknowledge(...)`) in the tree. */
export function acknowledgementsIn(scope: IConstruct): Acknowledgement[] {
  return scope.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) =>
        Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({
          path: c.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      )
      // aws-cdk-lib acknowledges some CloudFormation-Validate rules inside its own constructs.
      .filter((ack) => ack.id.startsWith('AwsSolutions-') || ack.id.startsWith(`${GUARD}::`)),
  );
}

/**
 * What the Control Tower Guard rules find when acknowledgements are ignored (the validator run
 * directly on the written templates): `<GUARD>::<rule>` and the construct path of each resource.
 */
export function rawGuardFindings(app: App): { rule: string; path: string }[] {
  const stacks = app.node.findAll().filter((c): c is Stack => Stack.isStack(c));
  const outdir = app.outdir;
  const templatePaths = stacks.map((stack) => join(outdir, stack.templateFile));
  const pathOf = new Map<string, string>();
  for (const stack of stacks) {
    for (const c of stack.node.findAll()) if (CfnResource.isCfnResource(c)) pathOf.set(`${stack.templateFile}/${stack.getLogicalId(c)}`, c.node.path);
  }
  const report = new CfnGuardValidator({ controlTowerRulesEnabled: true }).validate({ templatePaths, appConstruct: app });
  return report.violations.flatMap((v) =>
    v.violatingResources.map((r) => ({ rule: `${GUARD}::${v.ruleName}`, path: pathOf.get(`${basename(r.templatePath)}/${r.resourceLogicalId}`) ?? r.resourceLogicalId })),
  );
}

/** What AwsSolutions finds when acknowledgements are ignored: rule id and resource path. */
export function rawNagFindings(scope: IConstruct): { rule: string; path: string }[] {
  const checks = new AwsSolutionsChecks();
  // NagPack filters acknowledged findings itself; switch that off to see everything.
  Object.defineProperty(checks, 'isAcknowledged', { value: () => false });
  return checks
    .validateScope(scope)
    .violations.flatMap((v) => v.violatingResources.map((r) => ({ rule: v.ruleName, path: r.constructPath ?? '' })));
}

/**
 * The policy checks every synthesized profile must pass: no unacknowledged finding (a new one
 * fails here), no warning annotations, and exactly the expected acknowledgements, each with a
 * reason and each still covering a real AwsSolutions finding.
 */
export function describePolicy(synth: SynthesizedAutoPipe, stackIds: readonly string[], expectedAcknowledgements: readonly string[]): void {
  describe('policy', () => {
    test('no unacknowledged finding from cdk-nag AwsSolutions or CloudFormation validation', () => {
      expect(synth.findings).toEqual([]);
    });

    test('no warnings or errors from construct annotations', () => {
      for (const id of stackIds) {
        expect(synth.annotations(id, 'warning')).toEqual([]);
        expect(synth.annotations(id, 'error')).toEqual([]);
      }
    });

    test('acknowledgements: exactly these, each granular, explained, and covering a real finding', () => {
      const acks = acknowledgementsIn(synth.app);
      expect(acks.map(({ path, id }) => `${path} ${id}`).sort()).toEqual([...expectedAcknowledgements].sort());
      const raw = [...rawNagFindings(synth.app), ...rawGuardFindings(synth.app)];
      for (const ack of acks) {
        expect(ack.reason.length).toBeGreaterThan(60);
        const covers = raw.some((f) => f.rule === ack.id && (f.path === ack.path || f.path.startsWith(`${ack.path}/`)));
        expect({ ack: `${ack.path} ${ack.id}`, coversAFinding: covers }).toEqual({ ack: `${ack.path} ${ack.id}`, coversAFinding: true });
      }
    });
  });
}
