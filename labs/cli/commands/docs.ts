/**
 * `lab docs [--check]`: rewrite (or check) the guides' generated blocks, the README's labs table, and
 * the numbers the docs quote from the kit's commands.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../common/dist';
import { generatedDocs } from '../docs';
import { updateBlocks } from '../guide';
import type { Io } from '../io';
import { staleQuotedNumbers } from '../quoted-numbers';

export async function docs(checkOnly: boolean, io: Io): Promise<number> {
  const stale: string[] = [];
  for (const { path, blocks, current } of await generatedDocs()) {
    if (Object.entries(blocks).every(([name, content]) => current[name] === content)) continue;
    stale.push(path);
    if (!checkOnly) updateBlocks(path, blocks);
  }
  // After the blocks: a file can hold both, and its numbers are read from the text the blocks left.
  for (const { path, fixed } of await staleQuotedNumbers((path) => readFileSync(join(REPO_ROOT, path), 'utf8'))) {
    if (!stale.includes(path)) stale.push(path);
    if (!checkOnly) writeFileSync(join(REPO_ROOT, path), fixed);
  }
  if (checkOnly && stale.length > 0) {
    io.err(`Out of date with the code: ${stale.join(', ')}.\n  Fix: npm run lab -- docs\n`);
    return 1;
  }
  io.out(stale.length ? `Updated: ${stale.join(', ')}\n` : 'Guides and README are up to date.\n');
  return 0;
}
