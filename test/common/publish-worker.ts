/** One of several processes publishing a whole output folder at once (test/common/concurrent-synth.test.ts). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { publishDir, stagingDir } from '../../common/dist';

const [, , id] = process.argv;
const staged = stagingDir();
// Enough files that a mix of two outputs would show.
for (let i = 0; i < 50; i++) writeFileSync(join(staged, `part-${i}.txt`), `${id}\n`);
publishDir(staged, 'lab/dev');
