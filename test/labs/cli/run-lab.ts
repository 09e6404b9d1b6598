/** Runs a `lab` command line in this process, as labs/cli/cli.ts does, and keeps what it printed. */
import { runLab } from '../../../labs/cli/lab-command';

export async function lab(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runLab(argv, { out: (t) => (out += t), err: (t) => (err += t), tty: false });
  return { code, out, err };
}
