import { Yaml } from 'cdk8s';
import { existsSync } from 'node:fs';
import { ConfigError } from '../../common/config';
import { Manifest, formatRef } from './manifest';
import { CHECKS, CheckResult } from './results';

/** The report's total line: objects checked (the gate's own key for an object), results passed and failed. */
export function summarize(results: readonly CheckResult[]): { objects: number; passed: number; failed: number } {
  const failed = results.filter((r) => !r.pass).length;
  return { objects: new Set(results.map((r) => formatRef(r.object))).size, passed: results.length - failed, failed };
}

/**
 * A readable report of one set of manifests: per object, how many checks passed and, for each
 * failure, the check, field and message; then a total. `verbose` lists every passing check too.
 */
export function formatReport(title: string, results: readonly CheckResult[], verbose = false): string {
  const byObject = new Map<string, CheckResult[]>();
  for (const result of results) {
    const key = formatRef(result.object);
    byObject.set(key, [...(byObject.get(key) ?? []), result]);
  }
  const width = Math.max(...Object.keys(CHECKS).map((id) => id.length));
  const lines = [title];
  for (const [object, own] of byObject) {
    const failed = own.filter((r) => !r.pass);
    const checks = new Set(own.map((r) => r.check)).size;
    const passed = checks - new Set(failed.map((r) => r.check)).size;
    lines.push(`  ${failed.length ? 'FAIL' : 'ok  '}  ${object}  (${passed}/${checks} checks)`);
    for (const r of verbose ? own : failed) {
      lines.push(`          ${r.pass ? 'pass' : 'FAIL'}  ${r.check.padEnd(width)}  ${r.field ? `${r.field}: ` : ''}${r.message}`);
    }
  }
  const { objects, passed, failed } = summarize(results);
  lines.push(`  ${objects} objects, ${passed} passed, ${failed} failed`);
  return lines.join('\n');
}

/** The objects of YAML files, e.g. dist/k8s/dev/web-app.k8s.yaml, for checking what will be applied. */
export function loadManifestFiles(files: readonly string[]): { file: string; manifests: Manifest[] }[] {
  return files.map((file) => {
    if (!existsSync(file)) {
      throw new ConfigError('file', file, 'a YAML file of Kubernetes objects', `npm run k8s:synth, then npm run k8s:check -- dist/k8s/dev/web-app.k8s.yaml`);
    }
    return { file, manifests: Yaml.load(file).filter((doc: unknown) => doc) };
  });
}
