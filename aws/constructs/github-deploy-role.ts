import { DefaultStackSynthesizer, Stack, Validations } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
/** The audience `aws-actions/configure-aws-credentials` asks GitHub to put in its token. */
export const GITHUB_OIDC_AUDIENCE = 'sts.amazonaws.com';

export interface GitHubDeployRoleProps {
  /** The only repository the role may push images to. */
  readonly repository: ecr.IRepository;
  /** GitHub repository (owner/name) whose workflow runs may assume the role. */
  readonly repo: string;
  /** The only branch whose runs may assume the role (when no `environment` is set). */
  readonly branch: string;
  /**
   * A GitHub environment (e.g. `production`, with required reviewers): only jobs running in it may
   * assume the role, whatever their branch; GitHub then puts the environment in the token's subject.
   * @default - trusted by branch
   */
  readonly environment?: string;
  /**
   * The numeric owner and repository ids. Repositories created, renamed or transferred on github.com
   * after 2026-07-15 (and those that opt in) get the immutable subject `repo:OWNER@OWNER_ID/REPO@REPO_ID:...`
   * instead of `repo:OWNER/REPO:...`; with the ids the role trusts both forms.
   * @default - the classic subject only
   */
  readonly ids?: { readonly owner: number; readonly repo: number };
  /**
   * ARN of the account's existing GitHub OIDC provider. An account holds one provider per
   * URL, so a second stack (or account setup done elsewhere) must import it.
   * @default - a provider is created
   */
  readonly oidcProviderArn?: string;
}

/**
 * The role GitHub Actions assumes through OIDC to ship Auto-Pipe: no stored keys, one repository,
 * one branch. It can push to one ECR repository and assume the CDK bootstrap roles that
 * `cdk deploy` uses; everything else is done by CloudFormation with the bootstrap roles.
 */
export class GitHubDeployRole extends Construct {
  readonly role: iam.Role;
  readonly provider: iam.IOidcProvider;

  constructor(scope: Construct, id: string, props: GitHubDeployRoleProps) {
    super(scope, id);

    this.provider =
      props.oidcProviderArn === undefined
        ? new iam.OidcProviderNative(this, 'Provider', {
            url: `https://${GITHUB_OIDC_HOST}`,
            clientIds: [GITHUB_OIDC_AUDIENCE],
          })
        : iam.OidcProviderNative.fromOidcProviderArn(this, 'Provider', props.oidcProviderArn);

    // StringEquals on both claims: exactly this repository and branch (or environment), never a pattern.
    const subjects = gitHubSubjects(props);
    this.role = new iam.Role(this, 'Role', {
      description: `GitHub Actions (${props.repo} ${props.environment === undefined ? `branch ${props.branch}` : `environment ${props.environment}`}) pushes images and runs cdk deploy`,
      assumedBy: new iam.OpenIdConnectPrincipal(this.provider, {
        StringEquals: {
          [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE,
          [`${GITHUB_OIDC_HOST}:sub`]: subjects.length === 1 ? subjects[0] : subjects,
        },
      }),
    });

    props.repository.grantPush(this.role);

    // `cdk deploy` uploads the template with the file-publishing role and deploys with the
    // deploy role. Recent CLIs open these sessions with tags, which needs sts:TagSession.
    const stack = Stack.of(this);
    const qualifier = DefaultStackSynthesizer.DEFAULT_QUALIFIER;
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['sts:AssumeRole', 'sts:TagSession'],
        resources: ['deploy-role', 'file-publishing-role'].map((name) =>
          stack.formatArn({
            service: 'iam',
            region: '',
            resource: 'role',
            resourceName: `cdk-${qualifier}-${name}-${stack.account}-${stack.region}`,
          }),
        ),
      }),
    );

    // The workflow checks, before it changes anything, that ECS's service-linked role exists: without it a
    // new account's first deploy fails halfway ("Unable to assume the service linked role"). Read-only,
    // on that one role.
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['iam:GetRole'],
        resources: [stack.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: ECS_SERVICE_LINKED_ROLE })],
      }),
    );

    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'ecr:GetAuthorizationToken (added by grantPush) does not support resource-level permissions; ' +
        'the push actions themselves are scoped to the one repository.',
    });
  }
}

/** ECS's service-linked role, by its path and name (the same in every account). */
export const ECS_SERVICE_LINKED_ROLE = 'aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS';

/**
 * The `sub` claims GitHub puts in a token of this repository's runs: the classic form and, with the
 * ids, the immutable one (GitHub's OIDC reference, "Immutable subject claims").
 */
export function gitHubSubjects(props: Pick<GitHubDeployRoleProps, 'repo' | 'branch' | 'environment' | 'ids'>): string[] {
  const context = props.environment === undefined ? `ref:refs/heads/${props.branch}` : `environment:${props.environment}`;
  const [owner, name] = props.repo.split('/');
  const classic = `repo:${owner}/${name}:${context}`;
  return props.ids === undefined ? [classic] : [classic, `repo:${owner}@${props.ids.owner}/${name}@${props.ids.repo}:${context}`];
}
