import { LABS, PROFILES } from '../../gcp/config';
import { planLab } from '../../gcp/offline/plan';
import type { OfflinePlan } from '../../gcp/offline/plan-model';

// Every lab in both profiles, planned one after the other in this one process.
const baseline = new Map<string, OfflinePlan>();
beforeAll(async () => {
  for (const lab of LABS) for (const profile of PROFILES) baseline.set(`${lab}-${profile}`, await planLab(lab, profile));
});

describe('planLab in one process', () => {
  test('gives identical plans every time, in any order and even when called concurrently', async () => {
    const again = await Promise.all([planLab('platform', 'prod'), planLab('cloudsql', 'dev'), planLab('gke', 'prod')]);
    for (const plan of again) expect(plan).toEqual(baseline.get(plan.stack));
  });

  test('leaks no config between runs: an override applies to its own plan only', async () => {
    const widened = await planLab('gke', 'dev', { nodeMaxCount: '7' });
    expect(widened.resources.find((r) => r.name === 'gke-cluster-node-pool')?.inputs).toMatchObject({ autoscaling: { maxNodeCount: 7 } });
    expect(await planLab('gke', 'dev')).toEqual(baseline.get('gke-dev'));
  });

  test('a program that throws rejects planLab with its error and leaves the next plan intact', async () => {
    let failingPlanLab: typeof planLab = planLab;
    jest.isolateModules(() => {
      jest.doMock('../../gcp/labs', () => ({
        deployLab: () => {
          throw new TypeError('a bug in an exercise');
        },
      }));
      failingPlanLab = (jest.requireActual('../../gcp/offline/plan') as typeof import('../../gcp/offline/plan')).planLab;
    });
    await expect(failingPlanLab('gke', 'dev')).rejects.toThrow('a bug in an exercise');
    expect(await planLab('cloudsql', 'prod')).toEqual(baseline.get('cloudsql-prod'));
  });

  test('dependencies name other planned resources only', () => {
    for (const plan of baseline.values()) {
      const names = new Set(plan.resources.map((r) => r.name));
      expect(names.size).toBe(plan.resources.length);
      for (const resource of plan.resources) {
        for (const dependency of resource.dependencies) expect(names).toContain(dependency);
        if (resource.parent !== undefined) expect(names).toContain(resource.parent);
      }
    }
  });
});
