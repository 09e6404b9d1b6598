import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DIST_DIR, displayPath, formatWritten, REPO_ROOT, writeDist } from '../../common/dist';

describe('writeDist', () => {
  const rel = 'test-common-dist/nested/file.txt';
  afterAll(() => rmSync(join(DIST_DIR, 'test-common-dist'), { recursive: true, force: true }));

  test('the tests write into the run\'s scratch dist/, never the checkout\'s', () => {
    expect(DIST_DIR).toBe(process.env.IAC_LAB_DIST_DIR);
    expect(DIST_DIR.startsWith(join(REPO_ROOT, 'dist'))).toBe(false);
  });

  test('creates folders, writes the content and reports where', () => {
    const written = writeDist(rel, 'héllo');
    expect(written).toEqual({ path: join(DIST_DIR, rel), bytes: 6 });
    expect(readFileSync(join(DIST_DIR, rel), 'utf8')).toBe('héllo');
  });

  test('paths inside the repository print relative to it', () => {
    expect(displayPath(join(REPO_ROOT, 'dist', 'k8s', 'dev', 'web-app.k8s.yaml'))).toBe('dist/k8s/dev/web-app.k8s.yaml');
    expect(displayPath('/elsewhere/dist/plan.json')).toBe('/elsewhere/dist/plan.json');
  });
});

test('formatWritten aligns paths and sizes', () => {
  expect(formatWritten([{ path: 'dist/a.json', bytes: 512 }, { path: 'dist/longer/b.yaml', bytes: 2048 }])).toBe(
    '  dist/a.json         512 B\n  dist/longer/b.yaml  2.0 KiB',
  );
});
