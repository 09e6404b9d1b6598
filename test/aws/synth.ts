/**
 * Test support for the AWS labs: synthesizes a lab's real app (cdk.json's context, validation and
 * cdk-nag on) once per test file, reads what synth produced, and reads a lab's config as a user's
 * context would give it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, CfnResource, CloudFormationValidatePlugin, Stack, Validations } from 'aws-cdk-lib';
import { type CloudAssembly, UNKNOWN_ACCOUNT, UNKNOWN_REGION } from 'aws-cdk-lib/cx-api';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { createAutoPipeApp } from '../../aws/auto-pipe/app';
import { type CdkAppOptions, GUARD } from '../../aws/constructs/cdk-app';
import { CONTEXT_KEYS, EXAMPLE_DOMAIN } from '../../aws/auto-pipe/config';
import { ConfigError } from '../../common/config';
import { lockedPackage, RESULT_CACHE_ROOT, ResultCache, resultKey } from '../result-cache';

/** The context a learner deploys with: a repository to trust. */
export const LAB_CONTEXT = { githubRepo: 'octo-org/auto-pipe' } as const;
/** What a learner deploys: dev, and prod with its HTTPS name (`cdk deploy -c env=prod -c domainName=...`). */
export const LAB_PROFILES = [
  { ...LAB_CONTEXT, env: 'dev' },
  { ...LAB_CONTEXT, ...EXAMPLE_DOMAIN, env: 'prod' },
] as const;

/**
 * `context` with every Auto-Pipe key a learner may keep in cdk.json unset first, so the tests
 * check the kit's own defaults; cdk.json's feature flags still apply.
 */
export function testContext(context: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...Object.fromEntries(CONTEXT_KEYS.map((key) => [key, undefined])), ...context };
}

/**
 * The message a user sees for `context` read by a lab's config reader (`readAutoPipeConfigs`,
 * `readEcommerceConfig`), or '' when it is valid; anything thrown but a ConfigError fails the test.
 */
export function configMessage(read: (context: (key: string) => unknown, keys: readonly string[]) => unknown, context: Record<string, unknown>): string {
  try {
    read((key) => context[key], Object.keys(context));
    return '';
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).message;
  }
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
  /** One app per context synthesized (a profile each). */
  readonly apps: readonly App[];
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
 * Synthesizes each context once (an app each, as one `cdk synth -c env=...` makes it) and removes
 * the cloud assemblies after the file's tests. Call at the top level of a test file (it registers
 * an afterAll hook). Stacks are found by id in whichever app holds them.
 */
export function synthAutoPipe(
  contexts: Readonly<Record<string, unknown>> | readonly Readonly<Record<string, unknown>>[],
  options: { readonly validate?: boolean } = {},
): SynthesizedAutoPipe {
  return synthLab((appOptions) => createAutoPipeApp({ ...appOptions, context: testContext(appOptions.context) }), contexts, options);
}

/** An AWS lab's app factory, as the lab's own `create...App` takes options. */
export type AppFactory = (options: CdkAppOptions & { readonly context: Record<string, unknown> }) => App;

/** synthAutoPipe for any AWS lab: `createApp` builds the lab's app from the options each synth gives it. */
export function synthLab(
  createApp: AppFactory,
  contexts: Readonly<Record<string, unknown>> | readonly Readonly<Record<string, unknown>>[],
  options: { readonly validate?: boolean } = {},
): SynthesizedAutoPipe {
  const runs = (Array.isArray(contexts) ? contexts : [contexts]).map((context) => synthOne(createApp, context, options));
  const holding = (id: string) => {
    const run = runs.find((r) => r.app.node.tryFindChild(id) !== undefined);
    if (run === undefined) throw new Error(`no stack ${id} in this synth`);
    return run;
  };
  return {
    apps: runs.map((r) => r.app),
    stack: <T extends Stack>(id: string) => holding(id).app.node.findChild(id) as T,
    json: (id) => holding(id).json(id),
    template: (id) => Template.fromJSON(holding(id).json(id)),
    annotations: (id, level) => holding(id).annotations(id, level),
    findings: runs.flatMap((r) => r.findings),
  };
}

interface SynthRun {
  readonly app: App;
  json(id: string): CfnTemplate;
  annotations(id: string, level: 'warning' | 'error'): string[];
  readonly findings: readonly Finding[];
}

function synthOne(createApp: AppFactory, context: Readonly<Record<string, unknown>>, options: { readonly validate?: boolean }): SynthRun {
  const outdir = mkdtempSync(join(tmpdir(), 'aws-lab-test-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));
  // The Guard rules run once per file in describePolicy, and CloudFormation's validation below, both on
  // the written templates: inside every synth they would cost seconds each, kept or not.
  const app = createApp({ context: { ...context }, outdir, validate: false, controlTowerRules: false });
  const assembly = app.synth();
  const cfnFindings = options.validate === false ? [] : cloudFormationFindings(app, assembly);

  const json = (id: string) => JSON.parse(readFileSync(join(outdir, `${id}.template.json`), 'utf8')) as CfnTemplate;
  const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
    pluginReports: { pluginName: string; violations: { ruleName: string; severity: string; violatingConstructs: { constructPath: string }[] }[] }[];
  };
  return {
    app,
    json,
    // Read from this synth: assertions' Annotations.fromStack would synthesize the app again.
    annotations: (id, level) =>
      assembly
        .getStackArtifact(id)
        .messages.filter((m) => m.level === level)
        .map((m) => `${m.id}: ${String(m.entry.data)}`),
    findings: [
      ...report.pluginReports.flatMap((r) =>
        r.violations.map((v) => ({
          plugin: r.pluginName,
          rule: v.ruleName,
          severity: v.severity,
          paths: v.violatingConstructs.map((c) => c.constructPath),
        })),
      ),
      ...cfnFindings,
    ],
  };
}

/**
 * What `cdk synth`'s built-in CloudFormation validation (CloudFormationValidatePlugin: the resource
 * schemas and CDK's default rules) reports on the written templates, invoked with the context
 * aws-cdk-lib gives it (core/lib/private/synthesis-validation.js, invokeSinglePlugin). Its verdict is a
 * function of the templates, their stacks' environments and the aws-cdk-lib version, so the same
 * inputs reuse the last one (test/result-cache.ts): starting the validator costs about 2 s a file.
 */
function cloudFormationFindings(app: App, assembly: CloudAssembly): Finding[] {
  const stackTemplates = assembly.stacks.map((s) => ({
    stackConstructPath: s.hierarchicalId,
    templatePath: s.templateFullPath,
    accountId: s.environment.account === UNKNOWN_ACCOUNT ? undefined : s.environment.account,
    region: s.environment.region === UNKNOWN_REGION ? undefined : s.environment.region,
  }));
  const same = (values: (string | undefined)[]) => (values.every((v) => v === values[0]) ? values[0] : undefined);
  const key = resultKey(`cloudformation-validate v2 ${lockedPackage('aws-cdk-lib')}`, stackTemplates.flatMap((t) => [`${t.stackConstructPath} ${t.accountId} ${t.region}`, readFileSync(t.templatePath)]));
  const violations = CFN_VALIDATE_RESULTS.through(key, () =>
    cloudFormationValidator()
      .validate({
        templatePaths: stackTemplates.map((t) => t.templatePath),
        stackTemplates,
        appConstruct: app,
        accountId: same(stackTemplates.map((t) => t.accountId)),
        region: same(stackTemplates.map((t) => t.region)),
      })
      .violations.map((v) => ({ ruleName: v.ruleName, severity: v.severity ?? 'error', resources: v.violatingResources.map((r) => `${basename(r.templatePath ?? '')}/${r.resourceLogicalId}`) })),
  );
  const pathOf = constructPaths(app);
  return violations.map((v) => ({ plugin: CloudFormationValidatePlugin.PLUGIN_NAME, rule: v.ruleName, severity: v.severity, paths: v.resources.map(pathOf) }));
}
const CFN_VALIDATE_RESULTS = new ResultCache(join(RESULT_CACHE_ROOT, 'cloudformation-validate'));
let validator: CloudFormationValidatePlugin | undefined;
/** One validator per file, started when first needed, as aws-cdk-lib keeps one per process. */
const cloudFormationValidator = () => (validator ??= new CloudFormationValidatePlugin());

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
  const templatePaths = stacksOf(app).map((stack) => join(app.outdir, stack.templateFile));
  const key = resultKey(`cfn-guard v2 ${lockedPackage('@cdklabs/cdk-validator-cfnguard')}`, [...templatePaths].sort().flatMap((path) => [basename(path), readFileSync(path)]));
  const violations = GUARD_RESULTS.through(key, () =>
    new CfnGuardValidator({ controlTowerRulesEnabled: true })
      .validate({ templatePaths, appConstruct: app })
      .violations.map((v) => ({ ruleName: v.ruleName, resources: v.violatingResources.map((r) => `${basename(r.templatePath)}/${r.resourceLogicalId}`) })),
  );
  const pathOf = constructPaths(app);
  return violations.flatMap((v) => v.resources.map((resource) => ({ rule: `${GUARD}::${v.ruleName}`, path: pathOf(resource) })));
}

/**
 * cfn-guard's verdict is a function of the templates and the validator package (its binary and rule
 * files, pinned by package-lock.json): the same inputs reuse the last verdict (test/result-cache.ts),
 * as each run costs over a second of starting the binary and parsing its 470 rule files.
 */
const GUARD_RESULTS = new ResultCache(join(RESULT_CACHE_ROOT, 'cfn-guard'));

const stacksOf = (app: App) => app.node.findAll().filter((c): c is Stack => Stack.isStack(c));

/** `<template file>/<logical id>`, as the validators name a resource, to the construct path it came from. */
function constructPaths(app: App): (resource: string) => string {
  const pathOf = new Map<string, string>();
  for (const stack of stacksOf(app)) {
    for (const c of stack.node.findAll()) if (CfnResource.isCfnResource(c)) pathOf.set(`${stack.templateFile}/${stack.getLogicalId(c)}`, c.node.path);
  }
  return (resource) => pathOf.get(resource) ?? resource;
}

/** An acknowledgement on a construct covers that rule's findings on it and on everything below it. */
function covers(ack: Acknowledgement, finding: { rule: string; path: string }): boolean {
  return finding.rule === ack.id && (finding.path === ack.path || finding.path.startsWith(`${ack.path}/`));
}

const guardRuns = new WeakMap<App, { rule: string; path: string }[]>();
/** rawGuardFindings of this synth, run once. */
function guardFindings(synth: SynthesizedAutoPipe): { rule: string; path: string }[] {
  return synth.apps.flatMap((app) => {
    if (!guardRuns.has(app)) guardRuns.set(app, rawGuardFindings(app));
    return guardRuns.get(app)!;
  });
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
      const acks = synth.apps.flatMap(acknowledgementsIn).filter((ack) => ack.id.startsWith('AwsSolutions-'));
      expect(acks.map(({ path, id }) => `${path} ${id}`).sort()).toEqual([...expectedAcknowledgements].sort());
      const raw = synth.apps.flatMap(rawNagFindings);
      for (const ack of acks) {
        expect(ack.reason.length).toBeGreaterThan(60);
        expect({ ack: `${ack.path} ${ack.id}`, coversAFinding: raw.some((f) => covers(ack, f)) }).toEqual({ ack: `${ack.path} ${ack.id}`, coversAFinding: true });
      }
    });
  });
}

/** The two Control Tower log-group acknowledgements acknowledgeLogGroupRules writes, on the log group at `path`. */
export function logGroupAcknowledgements(path: string): string[] {
  return ['cloudwatch_log_group_encrypted_check', 'cloudwatch_log_group_retention_period_check'].map((rule) => `${path} ${GUARD}::${rule}`);
}

/**
 * The AWS Control Tower proactive controls, as the Guard engine a user's `cdk synth` runs (tests
 * synthesize without it and run it once here, on the written templates): no unacknowledged finding,
 * and exactly the expected acknowledgements, each explained and each covering a finding.
 */
export function describeControlTowerRules(synth: SynthesizedAutoPipe, expectedAcknowledgements: readonly string[]): void {
  describe('Control Tower rules (CloudFormation Guard)', () => {
    const acks = () => synth.apps.flatMap(acknowledgementsIn).filter((ack) => ack.id.startsWith(`${GUARD}::`));

    test('no unacknowledged finding', () => {
      expect(guardFindings(synth).filter((f) => !acks().some((ack) => covers(ack, f)))).toEqual([]);
    });

    test('acknowledgements: exactly these, each explained and covering a finding', () => {
      expect(acks().map(({ path, id }) => `${path} ${id}`).sort()).toEqual([...expectedAcknowledgements].sort());
      for (const ack of acks()) {
        expect(ack.reason.length).toBeGreaterThan(60);
        expect({ ack: `${ack.path} ${ack.id}`, coversAFinding: guardFindings(synth).some((f) => covers(ack, f)) }).toEqual({ ack: `${ack.path} ${ack.id}`, coversAFinding: true });
      }
    });
  });
}
