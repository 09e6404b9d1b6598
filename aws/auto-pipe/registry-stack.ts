import { Annotations, CfnOutput, Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Construct } from 'constructs';
import { AutoPipeConfig } from './config';
import { GitHubDeployRole } from '../constructs/github-deploy-role';

export interface AutoPipeRegistryStackProps extends StackProps {
  readonly config: AutoPipeConfig;
}

/**
 * Where Auto-Pipe's images live and who may put them there: an ECR repository that scans
 * every push and never overwrites a tag, and the GitHub Actions deploy role.
 */
export class AutoPipeRegistryStack extends Stack {
  readonly repository: ecr.Repository;
  /** Absent until `githubRepo` is set. */
  readonly deployer?: GitHubDeployRole;

  constructor(scope: Construct, id: string, props: AutoPipeRegistryStackProps) {
    const { config } = props;
    super(scope, id, {
      description: `Auto-Pipe ${config.profile}: ECR repository and GitHub Actions deploy role`,
      ...props,
    });

    this.repository = new ecr.Repository(this, 'Repository', {
      // A fixed name lets the service stack and the pipeline find it without cross-stack exports.
      repositoryName: config.repositoryName,
      imageScanOnPush: true,
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      // KMS with the AWS-managed aws/ecr key: encrypted at rest, every use audited in CloudTrail, no key to pay for.
      encryption: ecr.RepositoryEncryption.KMS,
      removalPolicy: config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      emptyOnDelete: !config.retainData,
      lifecycleRules: [
        {
          rulePriority: 1,
          description: 'Expire untagged images after 1 day',
          tagStatus: ecr.TagStatus.UNTAGGED,
          maxImageAge: Duration.days(1),
        },
        {
          rulePriority: 2,
          description: `Keep the last ${config.keepTaggedImages} tagged images`,
          tagStatus: ecr.TagStatus.TAGGED,
          tagPatternList: ['*'],
          maxImageCount: config.keepTaggedImages,
        },
      ],
    });
    new CfnOutput(this, 'RepositoryUri', {
      description: 'docker push target for the Auto-Pipe image',
      value: this.repository.repositoryUri,
    });

    if (config.github === undefined) {
      Annotations.of(this).addInfo(
        'No GitHub deploy role: no repository is trusted until you name one. ' +
          'Deploy with -c githubRepo=<owner>/<name> (and -c githubBranch=<branch>, default main).',
      );
      return;
    }
    this.deployer = new GitHubDeployRole(this, 'GitHubDeploy', { repository: this.repository, ...config.github });
    new CfnOutput(this, 'DeployRoleArn', {
      description: 'role-to-assume for aws-actions/configure-aws-credentials in .github/workflows/auto-pipe.yml',
      value: this.deployer.role.roleArn,
    });
  }
}
