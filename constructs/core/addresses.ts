/**
 * IP addresses as the API server checks them where they become endpoints (an EndpointSlice's
 * `endpoints[].addresses`: `validateNonSpecialIP`).
 */
import { isIPv4 } from 'node:net';

/**
 * Returns why `address` cannot be an endpoint address of a Service, or undefined: not an
 * IPv4 address, or one the API server refuses as an endpoint (unspecified 0.0.0.0, loopback
 * 127.0.0.0/8, link-local 169.254.0.0/16, multicast 224.0.0.0/4).
 */
export function endpointAddressProblem(address: string): string | undefined {
  if (!isIPv4(address)) return 'is not an IPv4 address';
  const [a = 0, b = 0] = address.split('.').map(Number);
  if (address === '0.0.0.0') return 'is the unspecified address, which may not be an endpoint';
  if (a === 127) return 'is a loopback address (127.0.0.0/8), which may not be an endpoint';
  if (a === 169 && b === 254) return 'is a link-local address (169.254.0.0/16), which may not be an endpoint';
  if (a >= 224 && a <= 239) return 'is a multicast address (224.0.0.0/4), which may not be an endpoint';
  return undefined;
}
