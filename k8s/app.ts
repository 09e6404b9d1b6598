/**
 * Writes the Kubernetes manifests: `npm run k8s:synth`, or `npx cdk8s synth` through cdk8s.yaml.
 * K8S_PROFILE=dev|prod narrows the output to one profile; K8S_<SETTING> variables override settings.
 */
import { resolve } from 'node:path';
import { runEntry } from '../common/config';
import { formatWritten } from '../common/dist';
import { configFromEnvironment } from './config';
import { writeCharts } from './synth';

void runEntry(() => {
  const { profiles, overrides } = configFromEnvironment(process.env);
  const outDir = process.env.CDK8S_OUTDIR ? resolve(process.env.CDK8S_OUTDIR) : undefined;
  const written = writeCharts(profiles, overrides, outDir);
  process.stdout.write(`Kubernetes manifests (profile ${profiles.join(', ')}):\n${formatWritten(written)}\n`);
});
