/** Keeps a dependency's first connection trying in the background, so a pod waits (unready) instead of crash-looping. */
import { errorText, type Logger } from './log';

export interface Retrying {
  /** Resolves when `attempt` has succeeded once, or when stopped. */
  readonly done: Promise<void>;
  stop(): void;
}

/** Calls `attempt` until it succeeds, waiting 0.5 s, 1 s, 2 s... up to `maxDelayMs` between tries. */
export function retryUntilDone(what: string, attempt: () => Promise<void>, log: Logger, maxDelayMs = 5_000): Retrying {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: () => void = () => undefined;
  const done = (async () => {
    for (let delay = 500; !stopped; delay = Math.min(delay * 2, maxDelayMs)) {
      try {
        await attempt();
        return;
      } catch (err) {
        if (stopped) return;
        log.warn(`cannot ${what}; retrying`, { error: errorText(err), retryInMs: delay });
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, delay);
      });
    }
  })();
  return {
    done,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
      wake();
    },
  };
}
