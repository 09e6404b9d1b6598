import { TYPES } from '../../gcp/policies';
import { type Exercise, type ExerciseInput, resourcesOf } from '../cli/lab';
import type { LabResource } from '../cli/resources';

const SQL_USER = 'gcp:sql/user:User';
const RANDOM_PASSWORD = 'random:index/randomPassword:RandomPassword';
const SECRET_VERSION = 'gcp:secretmanager/secretVersion:SecretVersion';

/** Query Insights' maxima: plans sampled a minute, and bytes kept of each query's text. */
const INSIGHTS_TARGET = { queryPlansPerMinute: 20, queryStringLength: 4500 } as const;

export const exercises: readonly Exercise[] = [
  {
    number: 1,
    title: 'Find slow queries without logging their text',
    check(input) {
      return eachInstance(input, (instance) => {
        const settings = instance.props.settings ?? {};
        const problems: string[] = [];
        const flags: { name?: string; value?: string }[] = settings.databaseFlags ?? [];
        const duration = flags.find((flag) => flag.name === 'log_min_duration_statement')?.value;
        if (duration === undefined) problems.push(`${instance.name} no longer sets log_min_duration_statement: CIS GCP 6.2.7 wants it set to -1, put it back in DATABASE_FLAGS`);
        else if (duration !== '-1') {
          problems.push(
            `${instance.name} sets log_min_duration_statement to ${duration}: that writes the text of slow statements, data included, to Cloud Logging (CIS GCP 6.2.7); set it back to -1 in DATABASE_FLAGS`,
          );
        }
        const insights = settings.insightsConfig ?? {};
        if (insights.queryInsightsEnabled !== true) problems.push(`${instance.name} has Query Insights off: set insightsConfig.queryInsightsEnabled to true`);
        if (insights.queryPlansPerMinute !== INSIGHTS_TARGET.queryPlansPerMinute) {
          problems.push(
            `${instance.name}'s Query Insights samples ${insights.queryPlansPerMinute ?? 'the default 5'} query plans a minute: set insightsConfig.queryPlansPerMinute to ${INSIGHTS_TARGET.queryPlansPerMinute}`,
          );
        }
        if (insights.queryStringLength !== INSIGHTS_TARGET.queryStringLength) {
          problems.push(
            `${instance.name}'s Query Insights keeps ${insights.queryStringLength ?? 'the default 1024'} bytes of each query: set insightsConfig.queryStringLength to ${INSIGHTS_TARGET.queryStringLength}`,
          );
        }
        return problems;
      });
    },
  },
  {
    number: 2,
    title: 'Require client certificates',
    check(input) {
      return eachInstance(input, (instance) => {
        const mode = instance.props.settings?.ipConfiguration?.sslMode;
        return mode === 'TRUSTED_CLIENT_CERTIFICATE_REQUIRED'
          ? []
          : [`${instance.name} has sslMode ${String(mode)}: clients connect without a certificate; set settings.ipConfiguration.sslMode to the mode that requires one the instance trusts`];
      });
    },
  },
  {
    number: 3,
    title: 'Add a read-only reporting user',
    async check(input) {
      // Loaded here, not at the top: the lab command loads every lab's exercises, and these modules load Pulumi.
      const [{ SECRET_MASK }, { MOCK_PASSWORD }] = await Promise.all([import('../../gcp/offline/plan-model'), import('../../gcp/offline/mocks')]);
      const users = resourcesOf(input, SQL_USER);
      const reporting = users.find((user) => user.props.name === 'reporting');
      if (reporting === undefined) {
        return [`no Cloud SQL user named reporting yet (users now: ${users.map((u) => String(u.props.name)).join(', ')}): add one in PrivatePostgres`];
      }
      const idsOf = (type: string) => new Set(resourcesOf(input, type).map((r) => r.id));
      const [instances, passwords, secrets] = [idsOf(TYPES.sqlInstance), idsOf(RANDOM_PASSWORD), idsOf(TYPES.secret)];
      const passwordOf = (user: LabResource) => user.uses.find((id) => passwords.has(id));
      // A generated password reaches Secret Manager as the data of a secret version.
      const secretsHolding = (password: string | undefined) =>
        resourcesOf(input, SECRET_VERSION)
          .filter((version) => password !== undefined && version.uses.includes(password))
          .flatMap((version) => version.uses.filter((id) => secrets.has(id)));

      const problems: string[] = [];
      if (!reporting.uses.some((id) => instances.has(id))) problems.push(`${reporting.name} is not on the lab's instance: set its instance to this.instance.name`);
      if (reporting.props.password !== SECRET_MASK) problems.push(`${reporting.name}'s password is in the plan in clear: pass a generated one, a random.RandomPassword's result`);
      const password = passwordOf(reporting);
      const others = users.filter((user) => user !== reporting);
      // Taking another user's password output (app.user.password) shares it as surely as taking its generator.
      const copiesUser = others.some((user) => reporting.uses.includes(user.id));
      if (password === undefined && !copiesUser) problems.push(`${reporting.name}'s password is not generated: create a random.RandomPassword for it`);
      else if (copiesUser || others.some((user) => passwordOf(user) === password)) problems.push(`${reporting.name} shares its password with another user: give it a random.RandomPassword of its own`);
      else {
        const taken = new Set(others.flatMap((user) => secretsHolding(passwordOf(user))));
        if (!secretsHolding(password).some((secret) => !taken.has(secret))) {
          problems.push(`the reporting password is not in a Secret Manager secret of its own: store it with storedSecret (gcp/components/stored-secret.ts)`);
        }
      }
      const leaked = input.dev!.resources.filter((r) => JSON.stringify(r.props).includes(MOCK_PASSWORD));
      if (leaked.length > 0) problems.push(`a generated password appears in clear in ${leaked.map((r) => r.name).join(', ')}: pass it on as the secret output it is`);
      return problems;
    },
  },
];

/** What each instance still lacks; an instance is needed to check anything. */
function eachInstance(input: ExerciseInput, problemsOf: (instance: LabResource) => string[]): string[] {
  const instances = resourcesOf(input, TYPES.sqlInstance);
  if (instances.length === 0) return ['the plan has no Cloud SQL instance: undo what removed it from gcp/labs/cloudsql.ts'];
  return instances.flatMap(problemsOf);
}
