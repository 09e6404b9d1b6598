/**
 * `npm run k8s:check`: synthesizes both charts (same K8S_ settings as k8s:synth) and runs the gate on
 * them, or on YAML files given as arguments. Prints a report; exits 1 when any check fails.
 * `--verbose` lists every passing check.
 */
import { runEntry } from '../common/config';
import { checkManifests, formatReport, loadManifestFiles } from './checks';
import { configFromEnvironment } from './config';
import { synthCharts } from './synth';

void runEntry(() => {
  const args = process.argv.slice(2);
  const verbose = args.includes('--verbose');
  const files = args.filter((a) => !a.startsWith('--'));
  const { profiles, overrides } = configFromEnvironment(process.env);
  const sets = files.length
    ? loadManifestFiles(files).map(({ file, manifests }) => ({ title: file, manifests }))
    : profiles.flatMap((profile) => synthCharts({ profile, overrides }).map((c) => ({ title: `${c.chart} (${profile})`, manifests: c.manifests })));
  let failures = 0;
  for (const { title, manifests } of sets) {
    const results = checkManifests(manifests);
    failures += results.filter((r) => !r.pass).length;
    process.stdout.write(`${formatReport(title, results, verbose)}\n\n`);
  }
  process.stdout.write(failures ? `k8s:check FAILED: ${failures} failed checks\n` : 'k8s:check passed\n');
  if (failures) process.exitCode = 1;
});
