/**
 * The parts of @pulumi/gcp the labs use. The package root loads an index of all its ~130
 * services (60 ms of every plan and `pulumi preview`); these are the ones the labs need.
 */
export * as binaryauthorization from '@pulumi/gcp/binaryauthorization';
export * as compute from '@pulumi/gcp/compute';
export * as container from '@pulumi/gcp/container';
export * as kms from '@pulumi/gcp/kms';
export * as projects from '@pulumi/gcp/projects';
export * as redis from '@pulumi/gcp/redis';
export * as secretmanager from '@pulumi/gcp/secretmanager';
export * as serviceaccount from '@pulumi/gcp/serviceaccount';
export * as servicenetworking from '@pulumi/gcp/servicenetworking';
export * as sql from '@pulumi/gcp/sql';
