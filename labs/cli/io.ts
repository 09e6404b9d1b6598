/** Where the `lab` command writes, and how it shows a long step while it runs. */
import type { Progress, StepResult } from './check';

export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Progress redraws one line in place on a terminal, and prints plain lines otherwise. */
  readonly tty: boolean;
}

export const SILENT: Progress = { start: () => undefined, end: () => undefined };

/** A line as each step starts (redrawn with its seconds on a terminal) and its result as it ends. */
export function progressTo(io: Io): Progress {
  let timer: NodeJS.Timeout | undefined;
  return {
    start(step) {
      if (!io.tty) {
        io.out(`... ${step}\n`);
        return;
      }
      const started = Date.now();
      const draw = () => io.out(`\r\x1b[K... ${step} (${Math.round((Date.now() - started) / 1000)} s)`);
      draw();
      timer = setInterval(draw, 1000);
    },
    end(result: StepResult) {
      if (timer) clearInterval(timer);
      timer = undefined;
      const line = `${result.pass ? 'ok  ' : 'FAIL'}  ${result.step} (${result.seconds.toFixed(1)} s)`;
      io.out(`${io.tty ? '\r\x1b[K' : ''}${line}\n${result.details.map((d) => `        ${d}`).join('\n')}\n`);
    },
  };
}
