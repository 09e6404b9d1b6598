/** `lab synth <lab>|--all [--profile dev|prod]`: synthesize offline into dist/<lab>/<profile>/. */
import { formatWritten, type WrittenFile } from '../../../common/dist';
import type { Profile } from '../../../common/profiles';
import type { Io } from '../io';
import type { Lab } from '../lab';
import { synthesizeLab } from '../synth';

export async function synth(labs: readonly Lab[], profiles: readonly Profile[], io: Io): Promise<number> {
  const written: WrittenFile[] = [];
  for (const lab of labs) {
    for (const profile of lab.source.kind === 'kit' ? profiles.slice(0, 1) : profiles) {
      const output = await synthesizeLab(lab, profile, { write: true });
      written.push(...output.files);
      io.out(`${lab.id}${lab.source.kind === 'kit' ? '' : ` (${profile})`}: ${output.resources.length} resources\n`);
    }
  }
  io.out(`\nWritten:\n${formatWritten(written)}\n`);
  return 0;
}
