/** `lab docs [--check]`: rewrite (or check) the guides' generated blocks and the README's labs table. */
import { generatedDocs } from '../docs';
import { updateBlocks } from '../guide';
import type { Io } from '../io';

export async function docs(checkOnly: boolean, io: Io): Promise<number> {
  const stale: string[] = [];
  for (const { path, blocks, current } of await generatedDocs()) {
    if (Object.entries(blocks).every(([name, content]) => current[name] === content)) continue;
    stale.push(path);
    if (!checkOnly) updateBlocks(path, blocks);
  }
  if (checkOnly && stale.length > 0) {
    io.err(`Out of date with the code: ${stale.join(', ')}.\n  Fix: npm run lab -- docs\n`);
    return 1;
  }
  io.out(stale.length ? `Updated: ${stale.join(', ')}\n` : 'Guides and README are up to date.\n');
  return 0;
}
