/**
 * Each service's image installs its own package.json and lockfile; the kit's tests run the same code
 * from the root node_modules. They must be the same versions, exactly pinned, on a Node the kit
 * supports, and the Dockerfiles must build on the current Node LTS image, like the Auto-Pipe service.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dockerfileOf, REPO_ROOT, SERVICES, SERVICES_DIR } from './image-build';

const json = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const kit = json(join(REPO_ROOT, 'package.json'));
const kitLock = json(join(REPO_ROOT, 'package-lock.json'));

/** The packages `lock` pins at another version than the kit's lockfile, as `path: version (kit: version)`. */
function lockfileDrift(lock: { packages: Record<string, { version?: string }> }): string[] {
  return Object.entries(lock.packages)
    .filter(([path, entry]) => path !== '' && kitLock.packages[path]?.version !== entry.version)
    .map(([path, entry]) => `${path}: ${entry.version} (kit: ${kitLock.packages[path]?.version ?? 'none'})`);
}

describe.each(SERVICES)('%s', (service) => {
  const pkg = json(join(SERVICES_DIR, service, 'package.json'));
  const lock = json(join(SERVICES_DIR, service, 'package-lock.json'));

  test('its package is named like its folder, image and workload, and runs on the Node versions the kit supports', () => {
    expect(pkg.name).toBe(service);
    expect(pkg.engines).toEqual(kit.engines);
  });

  test('its runtime libraries are the kit\'s, at the same exact versions', () => {
    for (const [name, version] of Object.entries(pkg.dependencies)) {
      expect({ name, version }).toEqual({ name, version: kit.dependencies[name] });
      expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    }
    expect(pkg.devDependencies).toEqual({ '@types/node': kit.devDependencies['@types/node'], typescript: kit.devDependencies.typescript });
  });

  test('its lockfile installs what the kit\'s lockfile installs, package for package', () => {
    expect(lockfileDrift(lock)).toEqual([]);
    expect(lock.packages[''].dependencies).toEqual(pkg.dependencies);
  });
});

test('every image builds on the same Node image, the current LTS line, as the kit\'s other Node service images', () => {
  const nodeImage = (dockerfile: string) => /^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfile)?.[1];
  const ecommerce = nodeImage(readFileSync(join(REPO_ROOT, 'labs/ecommerce-backend/service/Dockerfile'), 'utf8'));
  expect(ecommerce).toBe('public.ecr.aws/docker/library/node:26-alpine');
  for (const service of SERVICES) expect({ service, image: nodeImage(dockerfileOf(service)) }).toEqual({ service, image: ecommerce });
});
