/** `lab show <lab>`: the guide's summary, the commands to run, the exercises, where the code lives. */
import { wrap } from '../format';
import { guideBullets, guideCommands, guidePath, readGuide } from '../guide';
import type { Io } from '../io';
import type { Lab } from '../lab';

export function show(lab: Lab, io: Io): number {
  const guide = readGuide(lab.id);
  const lines = [
    guide.title,
    '',
    wrap(guide.summary),
    '',
    `${lab.tool} on ${lab.cloud} · ${lab.level} · about ${lab.minutes} minutes · uses ${lab.uses.join(', ')}`,
    '',
    'Objectives:',
    ...guideBullets(guide, 'Objectives').map((item) => `  - ${item}`),
    '',
    'Commands (from the guide):',
    ...guideCommands(guide, 'Steps').map((c) => `  $ ${c}`),
    '',
    'Teardown:',
    ...guideCommands(guide, 'Teardown').map((c) => `  $ ${c}`),
    '',
    'Exercises (check one with npm run lab -- check ' + lab.id + ' --exercise <N>):',
    ...lab.exercises.map((e) => `  ${e.number}. ${e.title}`),
    '',
    `Code:   ${lab.code.join(', ')}`,
    `Tests:  ${lab.tests.join(', ')}`,
    `Guide:  ${guidePath(lab.id)}`,
  ];
  io.out(`${lines.join('\n')}\n`);
  return 0;
}
