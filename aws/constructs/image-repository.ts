import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Construct } from 'constructs';

export interface ImageRepositoryProps {
  /** A fixed name lets the service stack and the pipeline find it without cross-stack exports. */
  readonly repositoryName: string;
  /** prod keeps the repository and its images when the stack is deleted; dev empties and deletes it. */
  readonly retainData: boolean;
  /** Tagged images the repository keeps; older ones expire. */
  readonly keepTaggedImages: number;
}

/**
 * An ECR repository that scans every push and never overwrites a tag, created directly in `scope`
 * as `id` (a function, not a construct, so a stack that already has its repository keeps its
 * logical id and never replaces it).
 */
export function addImageRepository(scope: Construct, id: string, props: ImageRepositoryProps): ecr.Repository {
  return new ecr.Repository(scope, id, {
    repositoryName: props.repositoryName,
    imageScanOnPush: true,
    imageTagMutability: ecr.TagMutability.IMMUTABLE,
    // KMS with the AWS-managed aws/ecr key: encrypted at rest, every use audited in CloudTrail, no key to pay for.
    encryption: ecr.RepositoryEncryption.KMS,
    removalPolicy: props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    emptyOnDelete: !props.retainData,
    lifecycleRules: [
      {
        rulePriority: 1,
        description: 'Expire untagged images after 1 day',
        tagStatus: ecr.TagStatus.UNTAGGED,
        maxImageAge: Duration.days(1),
      },
      {
        rulePriority: 2,
        description: `Keep the last ${props.keepTaggedImages} tagged images`,
        tagStatus: ecr.TagStatus.TAGGED,
        tagPatternList: ['*'],
        maxImageCount: props.keepTaggedImages,
      },
    ],
  });
}
