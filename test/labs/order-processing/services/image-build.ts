/**
 * The order-processing apps' images, built offline with the kit's `docker build` emulation
 * (test/docker-build.ts): the build context is the services folder and each Dockerfile is named with
 * `-f`, as the guide's `docker build` lines do.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BuiltImage, buildImage } from '../../../docker-build';

export const REPO_ROOT = join(__dirname, '..', '..', '..', '..');
export const SERVICES_DIR = join(REPO_ROOT, 'labs/order-processing/services');
export const SERVICES = ['order-frontend', 'order-validator', 'order-rabbitmq-consumer', 'order-kafka-consumer'] as const;
export type ServiceName = (typeof SERVICES)[number];

export function dockerfileOf(service: ServiceName): string {
  return readFileSync(join(SERVICES_DIR, service, 'Dockerfile'), 'utf8');
}

/** The `docker build` line a Dockerfile documents in its header comment. */
export function documentedBuildCommand(dockerfile: string): string | undefined {
  return /^#\s+(docker build .*)$/m.exec(dockerfile)?.[1];
}

/** `docker build -f <service>/Dockerfile <services folder>`; `dockerfile` may name another file (absolute). */
export function buildService(service: ServiceName, dockerfile = `${service}/Dockerfile`): BuiltImage {
  return buildImage(SERVICES_DIR, {
    dockerfile,
    nodeModules: join(REPO_ROOT, 'node_modules'),
    kitLock: join(REPO_ROOT, 'package-lock.json'),
    download: (url) => {
      throw new Error(`the order-processing images download nothing, yet one ADDs ${url}`);
    },
  });
}
