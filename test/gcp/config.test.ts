import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { ConfigError } from '../../common/config';
import { REPO_ROOT } from '../../common/dist';
import { CONFIG_DEFAULTS, CONFIG_KEYS, LABS, PROFILES, PROJECT_NAME, readLabConfig } from '../../gcp/config';
import { planLab } from '../../gcp/offline/plan';
import { GCP_REGIONS, zonesOf } from '../../gcp/regions';
import program from '../../gcp/index';
import { parse } from 'yaml';
import { PLACEHOLDER_PROJECT, readStackConfig } from '../../gcp/offline/stack-config';

const valid = { 'gcp:project': 'my-lab-project', 'iac-lab-kit:lab': 'gke' };

/** The ConfigError `planLab` rejects with. */
async function planError(overrides: Record<string, string>, lab: Parameters<typeof planLab>[0] = 'gke'): Promise<ConfigError> {
  const error = await planLab(lab, 'dev', overrides).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe('readLabConfig', () => {
  test('fills defaults and the profile settings', () => {
    const config = readLabConfig(valid, 'gke-dev');
    expect(config).toMatchObject({
      lab: 'gke',
      profile: 'dev',
      project: 'my-lab-project',
      region: 'us-central1',
      zone: 'us-central1-b',
      namePrefix: 'gke-dev',
      deletionProtection: false,
      gke: { location: 'us-central1-b', authorizedNetworks: [], nodeMinCount: 1, nodeMaxCount: 3, releaseChannel: 'REGULAR', spot: true },
      database: { version: 'POSTGRES_17', tier: 'db-f1-micro', highAvailability: false },
      redis: { tier: 'BASIC', memorySizeGb: 1 },
    });
    const prod = readLabConfig({ ...valid, 'iac-lab-kit:profile': 'prod', 'gcp:region': 'europe-west1' }, 'gke-prod');
    expect(prod).toMatchObject({ zone: 'europe-west1-b', deletionProtection: true, gke: { location: 'europe-west1', spot: false } });
  });

  test('a missing gcp:project names the key and the exact command', () => {
    expect(() => readLabConfig({ 'iac-lab-kit:lab': 'gke' }, 'gke-dev')).toThrow(
      'Invalid gcp:project: received nothing (the key is not set); expected a GCP project id: 6 to 30 lowercase letters, digits or hyphens, starting with a letter.\n' +
        '  Fix: pulumi config set gcp:project my-lab-project --stack gke-dev (or set it in Pulumi.gke-dev.yaml)',
    );
  });

  test('a missing lab lists the labs', () => {
    expect(() => readLabConfig({ 'gcp:project': 'my-lab-project' }, 'dev')).toThrow(
      'Invalid lab: received nothing (the key is not set); expected one of gke, cloudsql, platform.\n  Fix: pulumi config set lab gke --stack dev',
    );
  });

  test('bad config fails before the Pulumi program declares any resource', async () => {
    const declared: string[] = [];
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          declared.push(args.type);
          return { id: `${args.name}-id`, state: args.inputs };
        },
        call: () => ({}),
      },
      PROJECT_NAME,
      'gke-dev',
    );
    pulumi.runtime.setAllConfig({ 'gcp:project': 'my-lab-project', 'iac-lab-kit:lab': 'kubernetes' }, []);
    let failure: unknown;
    await pulumi.runtime.runInPulumiStack(async () => {
      try {
        // The very function the Pulumi CLI runs (Pulumi.yaml `main`).
        return await program();
      } catch (err) {
        failure = err;
        return {};
      }
    });
    await pulumi.runtime.disconnect();
    expect(pulumi.RunError.isInstance(failure)).toBe(true);
    expect((failure as Error).message).toContain('Invalid lab: received "kubernetes"; expected one of gke, cloudsql, platform.');
    expect(declared).toEqual(['pulumi:pulumi:Stack']);
  });
});

describe('bad input is a ConfigError with key, value, valid values and the pulumi config set fix', () => {
  test('an empty gcp:project', async () => {
    expect((await planError({ 'gcp:project': '' })).message).toBe(
      'Invalid gcp:project: received nothing (the key is not set); expected a GCP project id: 6 to 30 lowercase letters, digits or hyphens, starting with a letter.\n' +
        '  Fix: pulumi config set gcp:project my-lab-project --stack gke-dev (or set it in Pulumi.gke-dev.yaml)',
    );
  });

  test('a malformed gcp:project', async () => {
    expect((await planError({ 'gcp:project': 'My_Project' })).message).toContain('Invalid gcp:project: received "My_Project"');
  });

  test('an unknown lab', async () => {
    await expect(planLab('kubernetes' as never, 'dev')).rejects.toThrow(
      'Invalid lab: received "kubernetes"; expected one of gke, cloudsql, platform.\n  Fix: npm run plan -- gke',
    );
  });

  test('an unknown profile', async () => {
    await expect(planLab('gke', 'staging' as never)).rejects.toThrow(
      'Invalid profile: received "staging"; expected one of dev, prod.\n  Fix: npm run plan -- gke --profile dev',
    );
  });

  test('the profile key in the stack config', () => {
    expect(() => readLabConfig({ ...valid, 'iac-lab-kit:profile': 'qa' }, 'gke-qa')).toThrow(
      'Invalid profile: received "qa"; expected one of dev, prod.\n  Fix: pulumi config set profile dev --stack gke-qa (or set it in Pulumi.gke-qa.yaml)',
    );
  });

  test('a malformed region', async () => {
    expect((await planError({ 'gcp:region': 'US Central' })).message).toBe(
      'Invalid gcp:region: received "US Central"; expected a GCP region such as us-central1 or europe-west1.\n' +
        '  Fix: pulumi config set gcp:region us-central1 --stack gke-dev (or set it in Pulumi.gke-dev.yaml)',
    );
  });

  test('a malformed zone', async () => {
    expect((await planError({ 'gcp:zone': 'us-central1' })).message).toBe(
      'Invalid gcp:zone: received "us-central1"; expected a zone of us-central1 such as us-central1-b.\n' +
        '  Fix: pulumi config set gcp:zone us-central1-b --stack gke-dev (or set it in Pulumi.gke-dev.yaml)',
    );
  });

  test('a zone outside the region', async () => {
    expect((await planError({ 'gcp:zone': 'europe-west1-b' })).message).toBe(
      'Invalid gcp:zone: received "europe-west1-b"; expected a zone of the region gcp:region=us-central1, such as us-central1-b.\n' +
        '  Fix: pulumi config set gcp:zone us-central1-b --stack gke-dev (or set it in Pulumi.gke-dev.yaml)',
    );
  });

  test('a region Google does not have', async () => {
    expect((await planError({ 'gcp:region': 'us-centrl1' })).message).toBe(
      'Invalid gcp:region: received "us-centrl1"; expected us-central1? one of the 42 Google Cloud regions listed in gcp/regions.ts (as of 2026-11-01).\n' +
        '  Fix: pulumi config set gcp:region us-central1 --stack gke-dev (or set it in Pulumi.gke-dev.yaml)',
    );
  });

  test('a zone the region does not have (europe-west1 has b, c and d)', async () => {
    expect((await planError({ 'gcp:region': 'europe-west1', 'gcp:zone': 'europe-west1-a' })).message).toBe(
      'Invalid gcp:zone: received "europe-west1-a"; expected one of the zones of europe-west1: europe-west1-b, europe-west1-c, europe-west1-d.\n' +
        '  Fix: pulumi config set gcp:zone europe-west1-b --stack gke-dev (or set it in Pulumi.gke-dev.yaml)',
    );
  });

  test('every listed region has zone b, the default zone', () => {
    for (const region of GCP_REGIONS) expect(zonesOf(region)).toContain(`${region}-b`);
  });

  test('0.0.0.0/0 in the authorized networks', async () => {
    expect((await planError({ authorizedNetworks: '["203.0.113.0/24","0.0.0.0/0"]' })).message).toBe(
      'Invalid authorizedNetworks[1]: received "0.0.0.0/0"; expected a CIDR block narrower than /0: /0 opens the control plane to the whole internet (CIS GKE 5.6.3); use your own address, e.g. <your-ip>/32.\n' +
        "  Fix: pulumi config set --path 'authorizedNetworks[1]' 203.0.113.0/24 --stack gke-dev (or set it in Pulumi.gke-dev.yaml)",
    );
  });

  test.each([['0.0.0.0/1', '128.0.0.0/1'], ['128.0.0.0/2', '0.0.0.0/1', '192.0.0.0/2', '203.0.113.0/24']])(
    'blocks that together cover the whole internet (%s, ...) are refused like 0.0.0.0/0',
    async (...cidrs) => {
      const value = JSON.stringify(cidrs);
      expect((await planError({ authorizedNetworks: value })).message).toBe(
        `Invalid authorizedNetworks: received "${value}"; expected blocks that leave most of the internet out: together these admit every address, as 0.0.0.0/0 would (CIS GKE 5.6.3); use your own address, e.g. <your-ip>/32.\n` +
          "  Fix: pulumi config set --path 'authorizedNetworks[0]' 203.0.113.0/24 --stack gke-dev (or set it in Pulumi.gke-dev.yaml)",
      );
    },
  );

  test('blocks that leave part of the internet out pass (0.0.0.0/1 with 128.0.0.0/2): only a full cover is the same as 0.0.0.0/0', async () => {
    await expect(planLab('gke', 'dev', { authorizedNetworks: '["0.0.0.0/1","128.0.0.0/2"]' })).resolves.toBeDefined();
  });

  test('an authorized network with host bits set suggests the network address', async () => {
    expect((await planError({ authorizedNetworks: '["198.51.100.7/24"]' })).message).toBe(
      'Invalid authorizedNetworks[0]: received "198.51.100.7/24"; expected a network address with no host bits set (198.51.100.0/24).\n' +
        "  Fix: pulumi config set --path 'authorizedNetworks[0]' 198.51.100.0/24 --stack gke-dev (or set it in Pulumi.gke-dev.yaml)",
    );
  });

  test('authorized networks that are not a list of CIDR blocks', async () => {
    expect((await planError({ authorizedNetworks: '10.0.0.0/8' })).message).toBe(
      'Invalid authorizedNetworks: received "10.0.0.0/8"; expected a list of IPv4 CIDR blocks, such as ["203.0.113.0/24"].\n' +
        "  Fix: pulumi config set --path 'authorizedNetworks[0]' 203.0.113.0/24 --stack gke-dev (or set it in Pulumi.gke-dev.yaml)",
    );
    expect((await planError({ authorizedNetworks: '["300.1.2.0/24"]' })).message).toContain('expected an IPv4 CIDR block such as 203.0.113.0/24');
  });

  test('a node count out of range', async () => {
    expect((await planError({ nodeMinCount: '11' })).message).toBe(
      'Invalid nodeMinCount: received "11"; expected an integer from 0 to 10.\n' +
        '  Fix: pulumi config set nodeMinCount 0 --stack gke-dev (or set it in Pulumi.gke-dev.yaml)',
    );
    expect((await planError({ nodeMaxCount: '0' })).message).toContain('Invalid nodeMaxCount: received "0"; expected an integer from 1 to 20.');
  });

  test('a maximum node count below the minimum', async () => {
    expect((await planError({ nodeMinCount: '4', nodeMaxCount: '2' })).message).toBe(
      'Invalid nodeMaxCount: received 2; expected an integer from 4 to 20: not below nodeMinCount (4).\n' +
        '  Fix: pulumi config set nodeMaxCount 4 --stack gke-dev (or set it in Pulumi.gke-dev.yaml)',
    );
  });

  test('an unknown database version', async () => {
    expect((await planError({ databaseVersion: 'POSTGRES_9_6' }, 'cloudsql')).message).toBe(
      'Invalid databaseVersion: received "POSTGRES_9_6"; expected one of POSTGRES_15, POSTGRES_16, POSTGRES_17, POSTGRES_18.\n' +
        '  Fix: pulumi config set databaseVersion POSTGRES_15 --stack cloudsql-dev (or set it in Pulumi.cloudsql-dev.yaml)',
    );
  });

  test('an unknown release channel', async () => {
    expect((await planError({ releaseChannel: 'UNSPECIFIED' })).message).toContain(
      'Invalid releaseChannel: received "UNSPECIFIED"; expected one of RAPID, REGULAR, STABLE.',
    );
  });

  test('allowDestroy that is not a boolean', async () => {
    expect((await planError({ allowDestroy: 'yes' })).message).toBe(
      'Invalid allowDestroy: received "yes"; expected true or false.\n  Fix: pulumi config set allowDestroy true --stack gke-dev (or set it in Pulumi.gke-dev.yaml)',
    );
  });

  test('a misspelt key is rejected instead of silently ignored', async () => {
    expect((await planError({ authorizedNetwork: '["203.0.113.0/24"]' })).message).toBe(
      'Invalid authorizedNetwork: received "["203.0.113.0/24"]"; expected authorizedNetworks? one of the keys declared in Pulumi.yaml: ' +
        `${CONFIG_KEYS.join(', ')}.\n  Fix: pulumi config rm authorizedNetwork --stack gke-dev, then pulumi config set authorizedNetworks <value> (or rename it in Pulumi.gke-dev.yaml)`,
    );
  });

  test('a key like no valid one is only to be removed', async () => {
    expect((await planError({ machineType: 'e2-small' })).message).toBe(
      `Invalid machineType: received "e2-small"; expected one of the keys declared in Pulumi.yaml: ${CONFIG_KEYS.join(', ')}.\n` +
        '  Fix: pulumi config rm machineType --stack gke-dev (or remove it from Pulumi.gke-dev.yaml)',
    );
  });

  test('a misspelt key close to a valid one names it', async () => {
    expect((await planError({ nodeMinCont: '2' })).message).toBe(
      `Invalid nodeMinCont: received "2"; expected nodeMinCount? one of the keys declared in Pulumi.yaml: ${CONFIG_KEYS.join(', ')}.\n` +
        '  Fix: pulumi config rm nodeMinCont --stack gke-dev, then pulumi config set nodeMinCount <value> (or rename it in Pulumi.gke-dev.yaml)',
    );
  });

  test('a misspelt provider key (gcp:projet) is an error naming gcp:project, not a silent fallback to the gcloud default project', async () => {
    expect((await planError({ 'gcp:projet': 'my-lab-project' })).message).toBe(
      'Invalid gcp:projet: received "my-lab-project"; expected gcp:project? the labs read gcp:project, gcp:region, gcp:zone.\n' +
        '  Fix: pulumi config rm gcp:projet --stack gke-dev, then pulumi config set gcp:project <value> (or rename it in Pulumi.gke-dev.yaml)',
    );
  });

  test('the provider\'s own keys (gcp:impersonateServiceAccount) pass', async () => {
    await expect(planLab('gke', 'dev', { 'gcp:impersonateServiceAccount': 'deployer@my-lab-project.iam.gserviceaccount.com' })).resolves.toBeDefined();
  });

  test('overrides cannot change the lab or profile', async () => {
    expect((await planError({ profile: 'prod' })).message).toBe(
      'Invalid profile: received "prod"; expected no override: the lab and profile come from the plan arguments.\n  Fix: npm run plan -- gke --profile dev',
    );
  });
});

describe('a broken stack file is one line naming the file, the line and what was expected', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'stack-files-'));
    copyFileSync(join(REPO_ROOT, 'Pulumi.yaml'), join(root, 'Pulumi.yaml'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const readWith = (text: string | undefined) => {
    rmSync(join(root, 'Pulumi.gke-dev.yaml'), { force: true });
    if (text !== undefined) writeFileSync(join(root, 'Pulumi.gke-dev.yaml'), text);
    return () => readStackConfig('gke', 'dev', {}, root);
  };

  test.each<[string, string | undefined, string]>([
    [
      'missing',
      undefined,
      'Invalid Pulumi.gke-dev.yaml: received "no such file"; expected Pulumi.gke-dev.yaml in the repository root.\n  Fix: restore the example stack: git checkout -- Pulumi.gke-dev.yaml (or pulumi stack init gke-dev and pulumi config set the keys)',
    ],
    [
      'a key without its colon',
      'config:\n  gcp:region us-central1\n  gcp:zone: us-central1-b\n',
      'Invalid Pulumi.gke-dev.yaml line 2: received "gcp:region us-central1"; expected valid YAML (Implicit keys need to be on a single line).\n  Fix: fix that line, or compare with git show HEAD:Pulumi.gke-dev.yaml',
    ],
    [
      'a tab for indentation',
      'config:\n\tgcp:region: us-central1\n',
      'Invalid Pulumi.gke-dev.yaml line 2: received "gcp:region: us-central1"; expected valid YAML (Tabs are not allowed as indentation).\n  Fix: fix that line, or compare with git show HEAD:Pulumi.gke-dev.yaml',
    ],
    [
      'a key twice',
      'config:\n  gcp:region: us-central1\n  gcp:region: europe-west1\n',
      'Invalid Pulumi.gke-dev.yaml line 3: received "gcp:region: europe-west1"; expected valid YAML (Map keys must be unique).\n  Fix: fix that line, or compare with git show HEAD:Pulumi.gke-dev.yaml',
    ],
    [
      'config as a list',
      'config:\n  - gcp:region\n',
      'Invalid Pulumi.gke-dev.yaml: received {"config":["gcp:region"]}; expected a YAML mapping with a `config:` mapping of keys to values, as `pulumi config set` writes it.\n  Fix: compare it with git show HEAD:Pulumi.gke-dev.yaml',
    ],
  ])('%s', (_case, text, message) => {
    expect(readWith(text)).toThrow(ConfigError);
    expect(readWith(text)).toThrow(message);
  });

  test('an empty stack file is a stack without settings, as for the Pulumi CLI', () => {
    expect(readWith('')().placeholderProject).toBe(true);
  });
});

describe('Pulumi project and example stacks', () => {
  const project = parse(readFileSync(join(REPO_ROOT, 'Pulumi.yaml'), 'utf8')) as {
    name: string;
    runtime: { name: string; options: Record<string, unknown> };
    main: string;
    config: Record<string, { type: string; default?: unknown }>;
  };

  test('runs gcp/index.ts through the kit\'s TypeScript hook, not ts-node', () => {
    expect(project.name).toBe(PROJECT_NAME);
    expect(project.runtime).toEqual({ name: 'nodejs', options: { typescript: false, nodeargs: '--require ../common/register.js' } });
    expect(project.main).toBe('gcp/index.ts');
    expect(existsSync(join(REPO_ROOT, project.main))).toBe(true);
  });

  test('declares exactly the keys the program reads, with the same defaults', () => {
    expect(Object.keys(project.config).sort()).toEqual([...CONFIG_KEYS].sort());
    const defaults = Object.fromEntries(Object.entries(project.config).flatMap(([key, d]) => ('default' in d ? [[key, d.default]] : [])));
    expect(defaults).toEqual(CONFIG_DEFAULTS);
    expect(project.config.lab).not.toHaveProperty('default');
  });

  test.each(LABS.flatMap((lab) => PROFILES.map((profile) => [lab, profile] as const)))(
    'Pulumi.%s-%s.yaml selects its lab and profile and leaves gcp:project to the user',
    (lab, profile) => {
      const file = parse(readFileSync(join(REPO_ROOT, `Pulumi.${lab}-${profile}.yaml`), 'utf8')) as { config: Record<string, unknown> };
      expect(file.config).toMatchObject({ 'iac-lab-kit:lab': lab, 'iac-lab-kit:profile': profile });
      expect(file.config).not.toHaveProperty('gcp:project');
      const { config, placeholderProject } = readStackConfig(lab, profile);
      expect(placeholderProject).toBe(true);
      expect(config['gcp:project']).toBe(PLACEHOLDER_PROJECT);
      expect(readLabConfig(config, `${lab}-${profile}`)).toMatchObject({ lab, profile });
    },
  );

  test('stack config merges project defaults, the stack file and overrides like the CLI', () => {
    const { config } = readStackConfig('platform', 'prod', { nodeMaxCount: '6', 'gcp:project': 'my-lab-project' });
    expect(config).toEqual({
      'gcp:project': 'my-lab-project',
      'gcp:region': 'us-central1',
      'gcp:zone': 'us-central1-b',
      'iac-lab-kit:allowDestroy': 'false',
      'iac-lab-kit:authorizedNetworks': '["203.0.113.0/24"]',
      'iac-lab-kit:databaseVersion': 'POSTGRES_17',
      'iac-lab-kit:lab': 'platform',
      'iac-lab-kit:nodeMaxCount': '6',
      'iac-lab-kit:nodeMinCount': '1',
      'iac-lab-kit:profile': 'prod',
      'iac-lab-kit:releaseChannel': 'STABLE',
    });
  });
});
