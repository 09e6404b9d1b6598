/** The offline build refuses what `docker build` would refuse for these Dockerfiles: it is not a build that always passes. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildService, dockerfileOf } from './image-build';

const dockerfile = dockerfileOf('order-validator');
let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'iac-lab-kit-dockerfiles-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Builds the validator with its Dockerfile changed by `edit` (the file kept outside the build context, as `-f` allows). */
function buildEdited(name: string, edit: (text: string) => string) {
  const path = join(scratch, name);
  writeFileSync(path, edit(dockerfile));
  return () => buildService('order-validator', path);
}

test('a COPY source missing from the build context fails the build', () => {
  expect(buildEdited('wrong-folder', (d) => d.replace('COPY order-validator/src ', 'COPY validator/src '))).toThrow('COPY validator/src: not found in the build context');
});

test('a COPY source the .dockerignore excludes is missing too', () => {
  expect(buildEdited('ignored', (d) => d.replace('COPY order-validator/src ', 'COPY order-validator/dist '))).toThrow('COPY order-validator/dist: not found in the build context');
});
