/** The offline image build refuses what `docker build` would refuse (see image-build.ts): it is not a build that always passes. */
import { buildOffline, dockerfileOf } from './image-build';

const dockerfile = dockerfileOf('order-validator');

test('a Dockerfile that forgets to copy the shared module fails where the compiler does', async () => {
  await expect(buildOffline('order-validator', dockerfile.replace('COPY shared/src ./shared/src\n', ''))).rejects.toThrow(/tsc -p order-validator\/tsconfig.json failed in the build stage:[\s\S]*Cannot find module '\.\.\/\.\.\/shared\/src\/service'/);
}, 30_000);

test('a COPY source missing from the build context fails the build', async () => {
  await expect(buildOffline('order-validator', dockerfile.replace('COPY order-validator/src ', 'COPY validator/src '))).rejects.toThrow(
    'COPY validator/src: not found in the build context labs/order-processing/services',
  );
});

test('a COPY source the .dockerignore excludes is missing too', async () => {
  await expect(buildOffline('order-validator', dockerfile.replace('COPY order-validator/src ', 'COPY order-validator/node_modules '))).rejects.toThrow('COPY order-validator/node_modules: not found');
});

test('a build step the offline build cannot stand for fails it instead of passing unproven', async () => {
  await expect(buildOffline('order-validator', dockerfile.replace('RUN npm ci --no-audit --no-fund', 'RUN npm install'))).rejects.toThrow('the offline build does not know RUN npm install');
});
