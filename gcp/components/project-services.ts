import * as gcp from '../provider';
import * as pulumi from '@pulumi/pulumi';

export interface ProjectServicesArgs {
  readonly project: string;
  /** API names such as `container.googleapis.com`. */
  readonly apis: readonly string[];
}

/**
 * Enables the Google APIs a lab needs, so `pulumi up` works on a fresh project.
 * Resources that call an API take this component in `dependsOn`.
 */
export class ProjectServices extends pulumi.ComponentResource {
  readonly services: readonly gcp.projects.Service[];

  constructor(name: string, args: ProjectServicesArgs, opts?: pulumi.ComponentResourceOptions) {
    super('iac-lab-kit:gcp:ProjectServices', name, {}, opts);
    this.services = args.apis.map(
      (api) =>
        new gcp.projects.Service(
          `${name}-${api.split('.')[0]}`,
          // Leave APIs on at teardown: disabling them is slow, can break other workloads in the
          // project, and an enabled API costs nothing.
          { project: args.project, service: api, disableOnDestroy: false },
          { parent: this },
        ),
    );
    this.registerOutputs({});
  }
}
