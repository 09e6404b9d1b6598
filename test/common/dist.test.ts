import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DIST_DIR, formatWritten, writeDist } from '../../common/dist';

describe('writeDist', () => {
  const rel = 'test-common-dist/nested/file.txt';
  afterAll(() => rmSync(join(DIST_DIR, 'test-common-dist'), { recursive: true, force: true }));

  test('creates folders, writes the content and reports a repo-relative path', () => {
    const written = writeDist(rel, 'héllo');
    expect(written).toEqual({ path: `dist/${rel}`, bytes: 6 });
    expect(readFileSync(join(DIST_DIR, rel), 'utf8')).toBe('héllo');
  });
});

test('formatWritten aligns paths and sizes', () => {
  expect(formatWritten([{ path: 'dist/a.json', bytes: 512 }, { path: 'dist/longer/b.yaml', bytes: 2048 }])).toBe(
    '  dist/a.json         512 B\n  dist/longer/b.yaml  2.0 KiB',
  );
});
