/**
 * The policy pack a user runs with `pulumi preview --policy-pack gcp/policy-pack`, run here the way the
 * Pulumi CLI runs it: @pulumi/pulumi's cmd/run-policy-pack on the pack's folder, which serves the
 * `pulumirpc.Analyzer` gRPC service on a loopback port it prints; the engine then calls AnalyzeStack
 * with the stack's resources (@pulumi/policy server.js, serve() and makeAnalyzeStackRpcFun). The kit's
 * plans must pass, and every policy must fail on its breaking change, as in policies.test.ts.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { REPO_ROOT } from '../../common/dist';
import { LABS, PROFILES } from '../../gcp/config';
import { planLab } from '../../gcp/offline/plan';
import { UNKNOWN, type OfflinePlan, type PlannedResource } from '../../gcp/offline/plan-model';
import { previewLab } from '../../gcp/preview/preview-lab';
import { UNKNOWN_WIRE_VALUE } from '../../gcp/preview/monitor';
import { POLICIES } from '../../gcp/policies';
import { brokenPlan } from './policy-breakers';

/* eslint-disable @typescript-eslint/no-require-imports -- the generated protobuf stubs are CommonJS without types for these paths */
const analyzerGrpc = require('@pulumi/pulumi/proto/analyzer_grpc_pb.js');
const analyzerPb = require('@pulumi/pulumi/proto/analyzer_pb.js');
const { Struct } = require('google-protobuf/google/protobuf/struct_pb.js');
/* eslint-enable @typescript-eslint/no-require-imports */

const PACK_DIR = join(REPO_ROOT, 'gcp/policy-pack');
let pack: ChildProcess;
let client: { analyzeStack: (request: unknown, callback: (err: Error | null, response: { getDiagnosticsList(): Diagnostic[] }) => void) => void; close(): void };

interface Diagnostic {
  getPolicyname(): string;
  getMessage(): string;
  getEnforcementlevel(): number;
}

beforeAll(async () => {
  // As the CLI starts a Node.js pack: the runner, an engine address (unused offline), the pack's folder.
  pack = spawn(process.execPath, [join(REPO_ROOT, 'node_modules/@pulumi/pulumi/cmd/run-policy-pack'), '127.0.0.1:1', '.'], { cwd: PACK_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
  const port = await new Promise<string>((resolve, reject) => {
    let stderr = '';
    pack.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    pack.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
    pack.once('exit', (code) => reject(new Error(`the policy pack exited with ${code} before serving: ${stderr}`)));
  });
  client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}, 30_000);

afterAll(() => {
  client?.close();
  pack?.kill();
});

/** The plan's values as the engine sends them: unknowns as Pulumi's unknown sentinel. */
function wire(value: unknown): unknown {
  if (value === UNKNOWN) return UNKNOWN_WIRE_VALUE;
  if (Array.isArray(value)) return value.map(wire);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, wire(v)]));
  return value;
}

/** The mandatory violations the pack reports on these resources, as `policy: message`. */
function analyze(stack: string, resources: readonly PlannedResource[]): Promise<string[]> {
  const urn = (name: string) => `urn:pulumi:${stack}::iac-lab-kit::${name}`;
  const request = new analyzerPb.AnalyzeStackRequest();
  request.setResourcesList(
    resources.map((r) => {
      const resource = new analyzerPb.AnalyzerResource();
      resource.setType(r.type);
      resource.setName(r.name);
      resource.setUrn(urn(r.name));
      resource.setProperties(Struct.fromJavaScript(wire(r.inputs)));
      // The engine always sends the options (the pack refuses a request without them, as from an old CLI).
      resource.setOptions(new analyzerPb.AnalyzerResourceOptions());
      if (r.parent !== undefined) resource.setParent(urn(r.parent));
      resource.setDependenciesList(r.dependencies.map(urn));
      return resource;
    }),
  );
  return new Promise((resolve, reject) =>
    client.analyzeStack(request, (err, response) => {
      if (err) return reject(err);
      const MANDATORY = 1; // pulumirpc.EnforcementLevel
      resolve(
        response
          .getDiagnosticsList()
          .filter((d) => d.getEnforcementlevel() === MANDATORY)
          .map((d) => `${d.getPolicyname()}: ${d.getMessage()}`),
      );
    }),
  );
}

const stacks = LABS.flatMap((lab) => PROFILES.map((profile) => [lab, profile] as const));
let plans: OfflinePlan[];
beforeAll(async () => {
  plans = [];
  for (const [lab, profile] of stacks) plans.push(await planLab(lab, profile));
}, 30_000);

test.each(stacks)('the %s lab (%s) passes every policy of the pack', async (lab, profile) => {
  const plan = plans.find((p) => p.lab === lab && p.profile === profile)!;
  expect(await analyze(plan.stack, plan.resources)).toEqual([]);
});

test('a real preview (unknown outputs included) passes too', async () => {
  const { plan } = await previewLab('gke', 'prod');
  expect(await analyze(plan.stack, plan.resources)).toEqual([]);
}, 30_000); // a preview starts the program as the CLI would: about 3 s, more on a busy machine

test.each(POLICIES.map((p) => [p.id]))('%s fails in the pack on its breaking change, as in the tests', async (id) => {
  const { plan, resources } = brokenPlan(plans, id);
  const violations = await analyze(plan.stack, resources);
  expect(violations.length).toBeGreaterThan(0);
  expect(new Set(violations.map((v) => v.split(':')[0]))).toEqual(new Set([id]));
});
