/** `lab synth <lab>|--all [--profile dev|prod]`: synthesize offline into dist/<lab>/<profile>/. */
import { formatWritten, type WrittenFile } from '../../../common/dist';
import type { Profile } from '../../../common/profiles';
import type { Io } from '../io';
import type { Lab } from '../lab';
import { synthesizeLab } from '../synth';

export async function synth(labs: readonly Lab[], profiles: readonly Profile[], io: Io): Promise<number> {
  const written: WrittenFile[] = [];
  const jobs = labs.flatMap((lab) => (lab.source.kind === 'kit' ? profiles.slice(0, 1) : profiles).map((profile) => ({ lab, profile })));
  // All started at once: the Pulumi previews run as child processes while the CDK and cdk8s apps synthesize here.
  const outputs = jobs.map(({ lab, profile }) => synthesizeLab(lab, profile, { write: true }));
  // Every job settles before the first failure is reported, so none is left writing after the command ends.
  await Promise.allSettled(outputs);
  for (const [index, { lab, profile }] of jobs.entries()) {
    const output = await outputs[index];
    written.push(...output.files);
    io.out(`${lab.id}${lab.source.kind === 'kit' ? '' : ` (${profile})`}: ${output.resources.length} resources\n`);
  }
  io.out(`\nWritten:\n${formatWritten(written)}\n`);
  return 0;
}
