import { Aws, CfnCondition, CfnOutput, CfnParameter, Fn, Token, Validations } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { type ContainerContract, IMAGE_TAG_PATTERN } from '../config';
import type { FargateWebServiceProps } from './fargate-web-service';

/**
 * Served until the pipeline's first push: the official BusyBox build (amd64 and arm64), whose
 * httpd, sh and wget are all the placeholder needs, mirrored in ECR Public (no Docker Hub rate limit).
 */
export const PLACEHOLDER_IMAGE = 'public.ecr.aws/docker/library/busybox:1.37.0';

/** The stack parameter that names the running image's tag; empty runs the placeholder. */
const IMAGE_TAG_PARAMETER = 'ImageTag';

export interface ServiceImageProps {
  /** The lab's ECR repository, imported by its fixed name. */
  readonly repositoryName: string;
  /** What the load balancer and ECS expect of the image; the placeholder honours it too. */
  readonly container: ContainerContract;
}

/**
 * The image a service runs, chosen when the stack is deployed rather than when it is synthesized:
 * the stack's `ImageTag` parameter names a tag in the lab's repository, and while it is empty (a
 * new stack, before the pipeline's first push) a public placeholder runs under the same contract.
 *
 * `cdk deploy` sends a parameter it is not given as CloudFormation's UsePreviousValue (the CLI's
 * `--previous-parameters`, on by default; aws-cdk's TemplateParameters.updateExisting), so a
 * deploy without `--parameters ImageTag=...` keeps the image that runs: a template that named the
 * tag itself would go back to whatever the synth was told. The stack's `RunningImage` output says which image runs.
 */
export class ServiceImage extends Construct {
  readonly tag: CfnParameter;
  /** True while ImageTag is empty: the placeholder runs. */
  readonly placeholder: CfnCondition;
  readonly image: ecs.ContainerImage;
  /** The image ECS pulls, resolved at deploy time. */
  readonly uri: string;
  readonly container: ContainerContract;

  constructor(scope: Construct, id: string, props: ServiceImageProps) {
    super(scope, id);
    this.container = props.container;
    this.tag = new CfnParameter(this, 'Tag', {
      type: 'String',
      default: '',
      // CloudFormation matches the whole value: a Docker tag, or nothing for the placeholder.
      allowedPattern: `^(|${IMAGE_TAG_PATTERN.source.replace(/^\^|\$$/g, '')})$`,
      constraintDescription: 'a Docker tag pushed to the repository (letters, digits, _ . -, up to 128, not starting with . or -), or empty for the placeholder',
      description: `The tag in ${props.repositoryName} the service runs; empty runs the placeholder. A deploy without it keeps the previous value.`,
    });
    this.tag.overrideLogicalId(IMAGE_TAG_PARAMETER);
    this.placeholder = new CfnCondition(this, 'Placeholder', { expression: Fn.conditionEquals(this.tag.valueAsString, '') });
    this.placeholder.overrideLogicalId('PlaceholderImage');

    const repository = ecr.Repository.fromRepositoryName(this, 'Repository', props.repositoryName);
    this.uri = Token.asString(Fn.conditionIf(this.placeholder.logicalId, PLACEHOLDER_IMAGE, repository.repositoryUriForTag(this.tag.valueAsString)));
    this.image = new DeployTimeImage(repository, this.uri);
    new CfnOutput(this, 'RunningImage', { description: 'The image the service runs (the ImageTag parameter\'s, or the placeholder)', value: this.uri }).overrideLogicalId('RunningImage');
  }

  /** The web container's command: the placeholder's server, or (Fn::If to nothing) the image's own. */
  get webCommand(): string[] {
    return this.ifPlaceholder(placeholderCommand(this.container), Aws.NO_VALUE);
  }

  /** A setup step's command: `command` in the real image, and a step that succeeds at once in the placeholder. */
  setupCommand(command: string[]): string[] {
    return this.ifPlaceholder(['true'], command);
  }

  /** What FargateWebService takes from the image: where from, what runs, and the contract. */
  serviceProps(): Pick<FargateWebServiceProps, 'image' | 'command' | 'user' | 'containerPort' | 'healthPath' | 'containerHealthCheck'> {
    return {
      image: this.image,
      command: this.webCommand,
      user: this.container.user,
      containerPort: this.container.port,
      healthPath: this.container.healthPath,
      containerHealthCheck: this.container.wgetHealthCheck,
    };
  }

  /** `placeholder` while ImageTag is empty, else `image`: a list CloudFormation picks at deploy time. */
  private ifPlaceholder(placeholder: unknown, image: unknown): string[] {
    return Token.asList(Fn.conditionIf(this.placeholder.logicalId, placeholder, image));
  }
}

/**
 * The placeholder's server as BusyBox runs it: a page at `/`, 200 on the health path, on the
 * contract's port, as the contract's user, with only /tmp writable (TMPDIR, when set, instead).
 */
export function placeholderCommand(container: ContainerContract): string[] {
  const path = decodePath(container.healthPath);
  const file = path.endsWith('/') ? `${path}index.html` : path;
  const script = [
    'set -e',
    'root="$(mktemp -d)"',
    `mkdir -p "$root"${quote(file.slice(0, file.lastIndexOf('/')) || '/')}`,
    `echo 'Placeholder: no image pushed yet. Deploy one with --parameters ImageTag=<tag>.' > "$root/index.html"`,
    `echo ok > "$root"${quote(file)}`,
    `exec httpd -f -p ${container.port} -h "$root"`,
  ].join('\n');
  return ['sh', '-c', script];
}

/** httpd maps a request's path to a file after percent-decoding it; the ALB sends it as configured. */
function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** A POSIX shell single-quoted word. */
function quote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** An image named by a deploy-time expression, pulled from the lab's repository when it is a tag there. */
class DeployTimeImage extends ecs.ContainerImage {
  constructor(
    private readonly repository: ecr.IRepository,
    private readonly uri: string,
  ) {
    super();
  }

  /** Execution roles already allowed to pull: a task's setup steps bind the same image as its web container. */
  private readonly pullers = new Set<iam.IRole>();

  bind(_scope: Construct, containerDefinition: ecs.ContainerDefinition): ecs.ContainerImageConfig {
    const role = containerDefinition.taskDefinition.obtainExecutionRole();
    if (!this.pullers.has(role)) {
      this.pullers.add(role);
      this.repository.grantPull(role);
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'ecr:GetAuthorizationToken (added to pull the service image) does not support resource-level permissions; the pull actions themselves are scoped to the one repository.',
      });
    }
    return { imageName: this.uri };
  }
}
