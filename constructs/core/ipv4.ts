/** IPv4 CIDRs as the API server reads them. */

/** The first and last address (as numbers) of an IPv4 CIDR, or undefined when `cidr` is not one. */
export function ipv4CidrRange(cidr: string): [number, number] | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const bits = Number(match[5]);
  if (octets.some((o) => o > 255) || bits > 32) return undefined;
  const start = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - bits);
  const base = start - (start % size);
  return [base, base + size - 1];
}

/** Whether `inner` is a strict subset of `outer` (as a NetworkPolicy `except` must be of its `cidr`). */
export function isStrictSubnet(inner: [number, number], outer: [number, number]): boolean {
  return inner[0] >= outer[0] && inner[1] <= outer[1] && inner[1] - inner[0] < outer[1] - outer[0];
}
