import { ConfigError, ConfigReader, runEntry } from '../../common/config';

const reader = new ConfigReader((key, example) => `npx cdk synth -c ${key}=${example}`);

describe('ConfigReader', () => {
  test('oneOf returns an allowed value and names key, value, choices and fix otherwise', () => {
    expect(reader.oneOf('env', 'dev', ['dev', 'prod'] as const)).toBe('dev');
    expect(() => reader.oneOf('env', 'staging', ['dev', 'prod'] as const)).toThrow(
      'Invalid env: received "staging"; expected one of dev, prod.\n  Fix: npx cdk synth -c env=dev',
    );
  });

  test('integer accepts numbers and numeric strings within range only', () => {
    expect(reader.integer('desiredCount', 3, 1, 10)).toBe(3);
    expect(reader.integer('desiredCount', '4', 1, 10)).toBe(4);
    for (const bad of [0, 11, 2.5, '2.5', 'two', '', null]) {
      expect(() => reader.integer('desiredCount', bad, 1, 10)).toThrow(/expected an integer from 1 to 10/);
    }
  });

  test('boolean accepts true/false and their strings', () => {
    expect(reader.boolean('flag', 'true')).toBe(true);
    expect(reader.boolean('flag', false)).toBe(false);
    expect(() => reader.boolean('flag', 'yes')).toThrow('Invalid flag: received "yes"; expected true or false.');
  });

  test('matching describes the format in words and says when the key is unset', () => {
    expect(() => reader.matching('githubRepo', undefined, /^[\w.-]+\/[\w.-]+$/, 'owner/name', 'octo/app')).toThrow(
      'Invalid githubRepo: received nothing (the key is not set); expected owner/name.\n  Fix: npx cdk synth -c githubRepo=octo/app',
    );
  });

  test('errors carry their parts for callers that format them differently', () => {
    try {
      reader.oneOf('profile', 'qa', ['dev', 'prod'] as const);
      throw new Error('unreachable');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect(err).toMatchObject({ key: 'profile', received: 'qa', expected: 'one of dev, prod' });
    }
  });
});

describe('runEntry', () => {
  let stderr: jest.SpyInstance;
  beforeEach(() => {
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    process.exitCode = undefined;
  });
  afterEach(() => {
    stderr.mockRestore();
    process.exitCode = undefined;
  });

  test('a ConfigError prints only its message and exits 2', async () => {
    await runEntry(() => reader.oneOf('env', 'qa', ['dev', 'prod'] as const));
    expect(process.exitCode).toBe(2);
    const printed = stderr.mock.calls.map((c) => String(c[0])).join('');
    expect(printed).toContain('Invalid env: received "qa"');
    expect(printed).not.toMatch(/\n\s+at /);
  });

  test('any other error is a bug: it keeps its stack and exits 1', async () => {
    await runEntry(async () => {
      throw new TypeError('boom');
    });
    expect(process.exitCode).toBe(1);
    expect(stderr.mock.calls.map((c) => String(c[0])).join('')).toMatch(/TypeError: boom\n\s+at /);
  });

  test('success leaves the exit code alone', async () => {
    await runEntry(() => undefined);
    expect(process.exitCode).toBeUndefined();
  });
});
