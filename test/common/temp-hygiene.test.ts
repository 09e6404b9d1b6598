/**
 * The kit's own work leaves nothing in the temp folder: a synth of each tool, a real Pulumi preview
 * and an exercise check, run with a temp folder of their own, must leave it empty. (The run's
 * scratch root would hide a leak from the rest of the suite; a learner's machine has no such root.)
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { previewLab } from '../../gcp/preview/preview-lab';
import { checkExercise } from '../../labs/cli/check';
import { synthesizeLab } from '../../labs/cli/synth';
import { labOf } from '../../labs/index';

test('synths, a preview and an exercise check leave the temp folder as they found it', async () => {
  const shared = process.env.TMPDIR;
  const own = mkdtempSync(join(tmpdir(), 'temp-hygiene-'));
  process.env.TMPDIR = own; // os.tmpdir() reads it on every call, and child processes inherit it
  try {
    await synthesizeLab(labOf('auto-pipe'), 'dev', { validate: false });
    await synthesizeLab(labOf('k8s-web-app'), 'prod');
    await previewLab('cloudsql', 'dev');
    await checkExercise(labOf('auto-pipe'), 1);
    expect(readdirSync(own)).toEqual([]);
  } finally {
    process.env.TMPDIR = shared;
    rmSync(own, { recursive: true, force: true });
  }
}, 30_000);
