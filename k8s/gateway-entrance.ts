import { ApiObject } from 'cdk8s';
import type { IGateway } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway';
import type { IHTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';

const API_VERSION = 'gateway.networking.k8s.io/v1';

export interface GatewayEntranceProps {
  /** Name of the Gateway and of the route to the service. */
  readonly name: string;
  readonly namespace: string;
  readonly host: string;
  readonly gatewayClass: string;
  /** The Service that answers every path of `host`, on its port `port`. */
  readonly service: kplus.Service;
  readonly port: number;
  /** A Secret of type kubernetes.io/tls in `namespace`: HTTPS on 443 and a redirect on 80. Without it, plain HTTP on 80. */
  readonly tlsSecret?: string;
}

/**
 * A chart's way in, with the Gateway API (ingress-nginx, the Ingress controller most guides used, was
 * retired in March 2026): a Gateway of its own that listens for its host only and admits routes from
 * its namespace only, and an HTTPRoute that sends every path to the service. With a TLS Secret the
 * Gateway terminates HTTPS and a second route answers plain HTTP with a 301 to https://.
 * Typed by the Gateway API v1 models of @kubernetes-models/gateway-api, chosen over `cdk8s import` of
 * the CRD files because the one package brings both the types and the CRDs' schemas, which the kit's
 * gate validates every Gateway and HTTPRoute with, offline. Version 0.5.1 (Gateway API v1.0 schemas,
 * enough for every field used here): 2.x requires Node 22, and the kit still runs on Node 20.
 */
export class GatewayEntrance extends Construct {
  readonly gateway: ApiObject;
  readonly route: ApiObject;

  constructor(scope: Construct, id: string, props: GatewayEntranceProps) {
    super(scope, id);
    const { name, namespace, host, tlsSecret } = props;
    const metadata = { name, namespace };
    const sameNamespace = { namespaces: { from: 'Same' as const } };
    const listeners: IGateway['spec']['listeners'] = [{ name: 'http', protocol: 'HTTP', port: 80, hostname: host, allowedRoutes: sameNamespace }];
    if (tlsSecret !== undefined) {
      listeners.push({
        name: 'https',
        protocol: 'HTTPS',
        port: 443,
        hostname: host,
        tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: tlsSecret }] },
        allowedRoutes: sameNamespace,
      });
    }
    const gateway: IGateway = { apiVersion: API_VERSION, kind: 'Gateway', metadata, spec: { gatewayClassName: props.gatewayClass, listeners } };
    this.gateway = new ApiObject(this, 'Gateway', gateway);

    const route: IHTTPRoute = {
      apiVersion: API_VERSION,
      kind: 'HTTPRoute',
      metadata,
      spec: {
        parentRefs: [{ name, sectionName: tlsSecret === undefined ? 'http' : 'https' }],
        hostnames: [host],
        rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: props.service.name, port: props.port }] }],
      },
    };
    this.route = new ApiObject(this, 'Route', route);

    if (tlsSecret !== undefined) {
      const redirect: IHTTPRoute = {
        apiVersion: API_VERSION,
        kind: 'HTTPRoute',
        metadata: { name: `${name}-https-redirect`, namespace },
        spec: {
          parentRefs: [{ name, sectionName: 'http' }],
          hostnames: [host],
          rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
        },
      };
      new ApiObject(this, 'HttpsRedirect', redirect);
    }
  }
}
