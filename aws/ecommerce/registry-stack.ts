import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import type { Construct } from 'constructs';
import { addImageRepository } from '../constructs/image-repository';
import type { EcommerceConfig } from './config';

export interface EcommerceRegistryStackProps extends StackProps {
  readonly config: EcommerceConfig;
}

/** Where the backend's images live: deployed first, so there is somewhere to push before the service runs them. */
export class EcommerceRegistryStack extends Stack {
  readonly repository: ecr.Repository;

  constructor(scope: Construct, id: string, props: EcommerceRegistryStackProps) {
    const { config } = props;
    super(scope, id, { description: `E-commerce backend ${config.profile}: ECR repository for the service image`, ...props });
    this.repository = addImageRepository(this, 'Repository', {
      repositoryName: config.repositoryName,
      retainData: config.retainData,
      keepTaggedImages: config.keepTaggedImages,
    });
    new CfnOutput(this, 'RepositoryUri', { description: 'docker push target for the service image', value: this.repository.repositoryUri });
  }
}
