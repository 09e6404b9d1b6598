/**
 * `npm run plan -- <lab> [--profile dev|prod]`: previews a GCP lab offline the way `pulumi preview`
 * runs it (gcp/preview/), prints it like `pulumi preview` and writes it to dist/plan/<lab>-<profile>.json.
 */
import { runEntry } from '../common/config';
import { formatWritten, writeDist } from '../common/dist';
import { parsePlanArgs, PLAN_USAGE } from './offline/args';
import { renderPlan } from './offline/render';
import { PLACEHOLDER_PROJECT } from './offline/stack-config';
import { previewLab } from './preview/preview-lab';

void runEntry(async () => {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${PLAN_USAGE}\n`);
    return;
  }
  const { lab, profile } = parsePlanArgs(argv);
  const { plan, placeholderProject } = await previewLab(lab, profile);
  process.stdout.write(renderPlan(plan));
  if (placeholderProject) {
    process.stdout.write(`\nPulumi.${plan.stack}.yaml does not set gcp:project: planned with the placeholder "${PLACEHOLDER_PROJECT}".\n`);
  }
  const written = writeDist(`plan/${plan.stack}.json`, `${JSON.stringify(plan, null, 2)}\n`);
  process.stdout.write(`\nPlan written:\n${formatWritten([written])}\n`);
});
