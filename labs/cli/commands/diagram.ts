/** `lab diagram <lab> [--profile dev|prod]`: the architecture as dist/diagrams/<lab>.mmd and .svg. */
import { formatWritten, writeDist } from '../../../common/dist';
import type { Profile } from '../../../common/profiles';
import { toMermaid, toSvg } from '../diagram';
import type { Io } from '../io';
import type { Lab } from '../lab';
import { synthesizeLab } from '../synth';

export async function diagram(lab: Lab, profile: Profile, io: Io): Promise<number> {
  const mermaid = toMermaid((await synthesizeLab(lab, profile, { validate: false, overrides: lab.example })).resources);
  const suffix = profile === 'dev' ? '' : `-${profile}`;
  const files = [writeDist(`diagrams/${lab.id}${suffix}.mmd`, mermaid), writeDist(`diagrams/${lab.id}${suffix}.svg`, await toSvg(mermaid))];
  io.out(`${mermaid}\nWritten:\n${formatWritten(files)}\n`);
  return 0;
}
