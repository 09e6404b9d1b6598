/**
 * The `lab` command's entry: `npm run lab -- <command>` or `npx iac-lab <command>`.
 * Only composes; see lab-command.ts.
 */
import { runLab } from './lab-command';

void runLab(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  tty: process.stdout.isTTY === true,
}).then((code) => {
  process.exitCode = code;
});
