import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CfnResource, CloudFormationValidatePlugin, Stack, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { createCdkApp } from '../../../aws/constructs/cdk-app';
import { synthLab } from '../synth';

// A queue without a dead-letter queue breaks Control Tower's CT.SQS.PR.2 (Guard rule sqs_dlq_check)
// and cdk-nag's AwsSolutions-SQS3: each case synthesizes one real template through both engines.
const GUARD_RULE = 'cdk-validator-cfnguard::sqs_dlq_check';
const NAG_RULE = 'AwsSolutions::AwsSolutions-SQS3';

function synthQueue(acknowledged: readonly string[]): string {
  const outdir = mkdtempSync(join(tmpdir(), 'cdk-app-test-'));
  try {
    const app = createCdkApp({ outdir, validate: false });
    const stack = new Stack(app, 'GuardProbe');
    const queue = new sqs.Queue(stack, 'Queue', { enforceSSL: true, encryption: sqs.QueueEncryption.SQS_MANAGED });
    for (const id of acknowledged) Validations.of(queue).acknowledge({ id, reason: 'a probe queue: its messages are disposable' });
    app.synth();
    return '';
  } catch (error) {
    return String((error as Error).stack ?? error);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

describe('createCdkApp', () => {
  beforeEach(() => jest.spyOn(console, 'error').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('fails synth on a Control Tower Guard finding and a cdk-nag finding, naming both rules', () => {
    const failure = synthQueue([]);
    expect(failure).toContain(GUARD_RULE);
    expect(failure).toContain(NAG_RULE);
  });

  it('still fails on the Guard rule when only cdk-nag is acknowledged', () => {
    const failure = synthQueue([NAG_RULE]);
    expect(failure).toContain(GUARD_RULE);
    expect(failure).not.toContain(NAG_RULE);
  });

  it('passes once both findings are acknowledged on that construct', () => {
    expect(synthQueue([NAG_RULE, GUARD_RULE])).toBe('');
  });
});

describe('the tests\' synth (test/aws/synth.ts)', () => {
  // It synthesizes without CloudFormation's built-in validation and runs the same plugin on the
  // written templates: a template cdk synth would report must be reported here too.
  const probe = (properties: Record<string, unknown>) =>
    synthLab(
      (options) => {
        const app = createCdkApp({ ...options, controlTowerRules: false });
        new CfnResource(new Stack(app, 'SchemaProbe'), 'Topic', { type: 'AWS::SNS::Topic', properties });
        return app;
      },
      {},
    ).findings.filter((f) => f.plugin === CloudFormationValidatePlugin.PLUGIN_NAME);

  const valid = probe({ TopicName: 'probe' });
  const misspelled = probe({ TopicNmae: 'probe' });

  test('reports what CloudFormation\'s validation finds in a template (a misspelled property), and nothing in a valid one', () => {
    expect(valid).toEqual([]);
    expect(misspelled.map((f) => f.paths)).toEqual([['SchemaProbe/Topic']]);
  });
});
