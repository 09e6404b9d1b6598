import { Annotations, CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Construct } from 'constructs';
import { AutoPipeConfig } from './config';
import { GitHubDeployRole } from '../constructs/github-deploy-role';
import { addImageRepository } from '../constructs/image-repository';

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

    this.repository = addImageRepository(this, 'Repository', {
      repositoryName: config.repositoryName,
      retainData: config.retainData,
      keepTaggedImages: config.keepTaggedImages,
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
