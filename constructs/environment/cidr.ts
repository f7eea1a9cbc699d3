/** IPv4 CIDR arithmetic for network settings: containment, overlap, subnet carving. */

/** An IPv4 address as a number. */
export function ipv4ToNumber(address: string): number {
  return address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

/** A number as an IPv4 address. */
export function ipv4FromNumber(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** The address `offset` places into a range: ipv4At('172.16.0.0/16', 10) is '172.16.0.10'. */
export function ipv4At(cidr: string, offset: number): string {
  return ipv4FromNumber(cidrRange(cidr)[0] + offset);
}

/** The `index`th subnet of `cidr` with `newBits` more prefix bits: subnetCidr('10.0.0.0/16', 3, 1) is '10.0.32.0/19'. */
export function subnetCidr(cidr: string, newBits: number, index: number): string {
  const [address = '', bits = ''] = cidr.split('/');
  const prefix = Number(bits) + newBits;
  if (prefix > 28 || index >= 2 ** newBits) throw new Error(`subnetCidr: ${cidr} has no subnet ${index} of /${prefix}`);
  const start = ipv4ToNumber(address) + index * 2 ** (32 - prefix);
  return `${ipv4FromNumber(start)}/${prefix}`;
}

function cidrRange(cidr: string): [number, number] {
  const [address = '', bits = '32'] = cidr.split('/');
  const start = ipv4ToNumber(address);
  const size = 2 ** (32 - Number(bits));
  const base = start - (start % size);
  return [base, base + size - 1];
}

/** True if `inner` lies wholly inside `outer`. */
export function cidrContains(outer: string, inner: string): boolean {
  const [os, oe] = cidrRange(outer);
  const [is, ie] = cidrRange(inner);
  return is >= os && ie <= oe;
}

/** True if the two ranges share an address. */
export function cidrsOverlap(a: string, b: string): boolean {
  const [as, ae] = cidrRange(a);
  const [bs, be] = cidrRange(b);
  return as <= be && bs <= ae;
}

/** The CIDR with its host bits cleared: networkAddress('10.0.1.0/16') is '10.0.0.0/16'. */
export function networkAddress(cidr: string): string {
  const [, bits = '32'] = cidr.split('/');
  return `${ipv4FromNumber(cidrRange(cidr)[0])}/${bits}`;
}
