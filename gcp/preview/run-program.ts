/**
 * `pulumi preview` without the CLI: starts the program the way the Node.js language host does
 * (launch.ts) against a monitor and engine served by the kit (monitor.ts), with --dry-run, and
 * returns what the program registered.
 */
import { spawn } from 'node:child_process';
import { UserError } from '../../common/config';
import { REPO_ROOT } from '../../common/dist';
import { languageHostLaunch } from './launch';
import { startPreviewMonitor, type EngineLog, type MonitoredResource } from './monitor';

export interface ProgramPreview {
  readonly resources: readonly MonitoredResource[];
  readonly outputs: Record<string, unknown>;
  /** Warnings and errors the program logged (debug and info lines left out). */
  readonly logs: readonly EngineLog[];
}

/** The program exited non-zero; the message is what it reported (a RunError's text, say), as the CLI shows it. */
export class PreviewFailed extends UserError {}

export interface PreviewRequest {
  readonly stack: string;
  readonly config: Readonly<Record<string, string>>;
  readonly secretKeys?: readonly string[];
  /** The folder holding Pulumi.yaml. @default the kit's root */
  readonly projectRoot?: string;
}

const PROJECT = 'iac-lab-kit';

/** Runs the Pulumi program in a child process exactly as `pulumi preview` starts it, and records it. */
export async function previewProgram(request: PreviewRequest): Promise<ProgramPreview> {
  const monitor = await startPreviewMonitor(PROJECT, request.stack);
  try {
    const launch = languageHostLaunch({
      projectRoot: request.projectRoot ?? REPO_ROOT,
      stack: request.stack,
      config: request.config,
      secretKeys: request.secretKeys,
      monitor: monitor.address,
      engine: monitor.address,
      dryRun: true,
    });
    const { code, stderr } = await new Promise<{ code: number; stderr: string }>((resolve, reject) => {
      const child = spawn(launch.command, launch.args, { cwd: launch.cwd, env: { ...process.env, ...launch.env }, stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (chunk) => (err += chunk));
      child.on('error', reject);
      child.on('close', (status) => resolve({ code: status ?? 1, stderr: err }));
    });
    const logs = monitor.logs.filter((log) => log.severity === 'warning' || log.severity === 'error');
    if (code !== 0) {
      const reported = logs.filter((log) => log.severity === 'error').map((log) => log.message.trim());
      // Node's own failure to start (a bad --require, say) is the first `Error:` line of its stderr.
      const nodeError = stderr.split('\n').find((line) => /^\w*Error:/.test(line));
      throw new PreviewFailed(reported.length > 0 ? reported.join('\n') : `the program exited with code ${code}: ${nodeError ?? stderr.trim().split('\n').slice(-3).join(' ')}`);
    }
    return { resources: monitor.resources, outputs: monitor.outputs, logs };
  } finally {
    await monitor.close();
  }
}
