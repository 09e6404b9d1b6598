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
  /** The only branch whose runs may assume the role. */
  readonly branch: string;
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

    // StringEquals on both claims: exactly this repository and branch, never a pattern.
    this.role = new iam.Role(this, 'Role', {
      description: `GitHub Actions (${props.repo}@${props.branch}) pushes images and runs cdk deploy`,
      assumedBy: new iam.OpenIdConnectPrincipal(this.provider, {
        StringEquals: {
          [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE,
          [`${GITHUB_OIDC_HOST}:sub`]: `repo:${props.repo}:ref:refs/heads/${props.branch}`,
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

    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'ecr:GetAuthorizationToken (added by grantPush) does not support resource-level permissions; ' +
        'the push actions themselves are scoped to the one repository.',
    });
  }
}
