/**
 * A name for prod's HTTPS in the examples and the kit's offline builds (dist/, cost, checks, tests):
 * example.com is reserved for documentation (RFC 2606), and the zone id is made up. A module of its
 * own so the lab catalogue can name it without loading aws-cdk-lib.
 */
export const EXAMPLE_DOMAIN = { domainName: 'api.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ', hostedZoneName: 'example.com' } as const;
