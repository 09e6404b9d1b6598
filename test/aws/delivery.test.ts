import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTAINER_PORT, SERVICE_HEALTH_PATH } from '../../aws/auto-pipe/config';
import { REPO_ROOT } from '../../common/dist';
import { DEFAULT_PORT } from '../../labs/auto-pipe/service/src/server';

// The pipeline, the image and the stacks must agree on names, ports, paths and users.
const workflow = readFileSync(join(REPO_ROOT, '.github/workflows/auto-pipe.yml'), 'utf8');
const dockerfile = readFileSync(join(REPO_ROOT, 'labs/auto-pipe/service/Dockerfile'), 'utf8');

describe('pipeline (.github/workflows/auto-pipe.yml)', () => {
  test('runs the Auto-Pipe tests before building', () => {
    expect(workflow).toContain('run: npx jest test/aws');
  });

  test('builds the service image (the kit\'s, or the folder AUTO_PIPE_SERVICE_DIR names) and scans it before pushing', () => {
    expect(workflow).toContain("SERVICE_DIR: ${{ vars.AUTO_PIPE_SERVICE_DIR || 'labs/auto-pipe/service' }}");
    expect(workflow).toContain('docker build --tag "$IMAGE" "$SERVICE_DIR"');
    expect(workflow.indexOf('aquasecurity/trivy-action')).toBeLessThan(workflow.indexOf('docker push'));
  });

  test('pushes the scanned image itself to the profile\'s repository with the OIDC role, never with stored keys', () => {
    expect(workflow).toContain('repository="auto-pipe-${AUTO_PIPE_ENV}"');
    expect(workflow).toContain('target="${{ steps.ecr.outputs.registry }}/${repository}:${GITHUB_SHA}"');
    expect(workflow).toContain('docker save --output image.tar "$IMAGE"');
    expect(workflow).toContain('docker load --input image.tar');
    expect(workflow).toContain('role-to-assume: ${{ vars.AUTO_PIPE_ROLE_ARN }}');
    expect(workflow).toContain('id-token: write');
    expect(workflow).not.toMatch(/aws-access-key-id|aws-secret-access-key|secrets\.AWS/);
  });

  test('deploys the service stack with the pushed tag as its ImageTag parameter, without prompting', () => {
    expect(workflow).toMatch(
      /npx cdk deploy "AutoPipeService-\$\{AUTO_PIPE_ENV\}" --exclusively \\\s+-c env="\$\{AUTO_PIPE_ENV\}" -c region="\$\{AWS_REGION\}" "\$\{domain\[@\]\}" \\\s+--parameters "AutoPipeService-\$\{AUTO_PIPE_ENV\}:ImageTag=\$\{GITHUB_SHA\}" \\\s+--require-approval never/,
    );
  });

  test('prod deploys with its HTTPS name from the environment\'s variables, passed only when set (dev has none)', () => {
    expect(workflow).toContain('DOMAIN_NAME: ${{ vars.AUTO_PIPE_DOMAIN_NAME }}');
    expect(workflow).toContain('HOSTED_ZONE_ID: ${{ vars.AUTO_PIPE_HOSTED_ZONE_ID }}');
    expect(workflow).toContain('HOSTED_ZONE_NAME: ${{ vars.AUTO_PIPE_HOSTED_ZONE_NAME }}');
    expect(workflow).toMatch(/if \[ -n "\$DOMAIN_NAME" \]; then\n\s+domain=\(-c domainName="\$DOMAIN_NAME" -c hostedZoneId="\$HOSTED_ZONE_ID" -c hostedZoneName="\$HOSTED_ZONE_NAME"\)/);
  });

  test('a Dockerfile with a test stage has its tests run first, whatever the service\'s language', () => {
    expect(workflow).toMatch(/if grep -qiE '\^FROM \.\+ AS test\$' "\$SERVICE_DIR\/Dockerfile"; then\n\s+docker build --target test "\$SERVICE_DIR"\n\s+fi\n\s+docker build --tag "\$IMAGE" "\$SERVICE_DIR"/);
  });

  test('a re-run for the same commit skips the push: tags are immutable', () => {
    expect(workflow).toContain('if aws ecr describe-images --repository-name "$repository" --image-ids imageTag="$GITHUB_SHA"');
  });

  test('only the release job has a GitHub environment: production when the pipeline ships prod, whose role trusts that subject', () => {
    expect([...workflow.matchAll(/^\s+environment: (.+)$/gm)].map((m) => m[1])).toEqual([
      "${{ (vars.AUTO_PIPE_ENV || 'dev') == 'prod' && 'production' || '' }}",
    ]);
  });
});

describe('image (labs/auto-pipe/service/Dockerfile)', () => {
  test('builds in one stage and runs from a clean one', () => {
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/^FROM \$\{NODE_IMAGE\} AS build$/m);
    expect(dockerfile).toContain('COPY --from=build /build/dist ./dist');
  });

  test('runs as uid 1000, the user the task definition sets for registry images', () => {
    expect(dockerfile).toMatch(/^USER 1000:1000$/m);
  });

  test('listens and health-checks where the stacks expect', () => {
    expect(DEFAULT_PORT).toBe(CONTAINER_PORT);
    expect(dockerfile).toMatch(new RegExp(`^EXPOSE ${CONTAINER_PORT}$`, 'm'));
    expect(dockerfile).toContain(`http://127.0.0.1:${CONTAINER_PORT}${SERVICE_HEALTH_PATH}`);
  });
});
