/**
 * Kubernetes resource quantities (`256Mi`, `500m`, `1e3`), parsed exactly as the API server's
 * grammar defines them.
 *
 * ```
 * <quantity>        ::= <signedNumber><suffix>
 * <signedNumber>    ::= <number> | <sign><number>
 * <number>          ::= <digits> | <digits>.<digits> | <digits>. | .<digits>
 * <sign>            ::= "+" | "-"
 * <suffix>          ::= <binarySI> | <decimalExponent> | <decimalSI>
 * <binarySI>        ::= Ki | Mi | Gi | Ti | Pi | Ei
 * <decimalSI>       ::= n | u | m | "" | k | M | G | T | P | E
 * <decimalExponent> ::= "e" <signedInteger> | "E" <signedInteger>
 * ```
 *
 * Values are kept internally as an exact count of nano-units (10^-9 of a core or a byte),
 * rounded away from zero as the API server does (`0.1n` is `1n`), so sums and comparisons
 * are exact: `100m + 200m` equals `300m`.
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
 */

/** Thrown for a value that is not a Kubernetes quantity. */
export class QuantityError extends Error {
  /** The value that failed to parse. */
  public readonly value: string;

  constructor(value: string) {
    super(`'${value}' is not a Kubernetes quantity: expected a number with an optional suffix (Ki, Mi, Gi, Ti, Pi, Ei, m, k, M, G, T, P, E), e.g. 256Mi, 0.5 or 500m`);
    this.name = 'QuantityError';
    this.value = value;
  }
}

/** Base-2 exponent of each binary suffix. */
const BINARY_SUFFIXES: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

/** Base-10 exponent of each decimal suffix (the empty suffix is 10^0). */
const DECIMAL_SUFFIXES: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/** sign, integer digits, fraction digits, suffix. Exponent suffixes are matched separately. */
const QUANTITY = /^([+-]?)(?:(\d+)(?:\.(\d*))?|\.(\d+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

/** The API server parses the exponent of `1e3` as a 32-bit integer. */
const MAX_EXPONENT = 2 ** 31 - 1;

/**
 * Quantities larger than this many nano-units (10^400 base units, far beyond any float64)
 * all compare equal; it keeps `1e999999999` from allocating a billion-digit integer.
 */
const MAX_NANOS = 10n ** 409n;
const NANOS_PER_UNIT = 1_000_000_000n;

function toText(raw: string | number): string {
  return typeof raw === 'number' ? String(raw) : raw;
}

/**
 * Texts parsed so far and their nano-unit counts (undefined: not a quantity). A fleet repeats
 * a handful of quantities thousands of times, in construction and again in validation.
 * Emptied when it grows past {@link PARSED_LIMIT} entries, so memory stays bounded.
 */
const parsed = new Map<string, bigint | undefined>();
const PARSED_LIMIT = 4096;

/** Parses `raw` into an exact count of nano-units, or returns undefined when it is not a quantity. */
function tryParseNanos(raw: unknown): bigint | undefined {
  if (typeof raw === 'number' && !Number.isFinite(raw)) return undefined;
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  const text = toText(raw);
  if (parsed.has(text)) return parsed.get(text);
  const nanos = parseNanos(text);
  if (parsed.size >= PARSED_LIMIT) parsed.clear();
  parsed.set(text, nanos);
  return nanos;
}

/** {@link tryParseNanos} of a text, uncached. */
function parseNanos(text: string): bigint | undefined {
  const match = QUANTITY.exec(text);
  if (!match) return undefined;
  const [, sign = '', intDigits = '', intFraction = '', bareFraction, suffix = ''] = match;
  const fraction = bareFraction ?? intFraction;

  let pow10: number;
  let pow2 = 0;
  if (suffix in BINARY_SUFFIXES) {
    pow2 = BINARY_SUFFIXES[suffix] ?? 0;
    pow10 = 0;
  } else if (suffix in DECIMAL_SUFFIXES) {
    pow10 = DECIMAL_SUFFIXES[suffix] ?? 0;
  } else {
    pow10 = Number(suffix.slice(1));
    if (Math.abs(pow10) > MAX_EXPONENT) return undefined;
  }

  const digits = BigInt(`${intDigits}${fraction}` || '0');
  if (digits === 0n) return 0n;
  // value in nanos = digits * 2^pow2 * 10^(pow10 - fraction.length + 9), rounded away from zero
  const numerator = digits << BigInt(pow2);
  const shift = pow10 - fraction.length + 9;
  let nanos: bigint;
  if (shift >= 0) {
    const headroom = 409 - numerator.toString().length;
    nanos = shift > headroom ? MAX_NANOS : numerator * 10n ** BigInt(shift);
  } else if (-shift > numerator.toString().length) {
    nanos = 1n; // smaller than one nano-unit: rounds up to 1n
  } else {
    const divisor = 10n ** BigInt(-shift);
    nanos = (numerator + divisor - 1n) / divisor;
  }
  if (nanos > MAX_NANOS) nanos = MAX_NANOS;
  return sign === '-' ? -nanos : nanos;
}

/**
 * Parses a quantity into an exact count of nano-units (10^-9 cores, 10^-9 bytes), for exact
 * sums and comparisons.
 *
 * @throws QuantityError when `raw` is not a Kubernetes quantity.
 */
export function parseQuantityNanos(raw: string | number): bigint {
  const nanos = tryParseNanos(raw);
  if (nanos === undefined) throw new QuantityError(toText(raw));
  return nanos;
}

/** Converts a nano-unit count to base units as a JS number (nearest float64). */
export function nanosToNumber(nanos: bigint): number {
  const whole = nanos / NANOS_PER_UNIT;
  const fraction = nanos % NANOS_PER_UNIT;
  return Number(whole) + Number(fraction) / 1e9;
}

/**
 * Parses a Kubernetes quantity and returns its value in base units: cores for CPU (`500m` is
 * 0.5), bytes for memory (`256Mi` is 268435456).
 *
 * @throws QuantityError when `raw` is not a Kubernetes quantity (`256MB`, `1.5.2`, `Mi`, ``).
 */
export function parseQuantity(raw: string | number): number {
  return nanosToNumber(parseQuantityNanos(raw));
}

/** True when `raw` is a string or number the API server accepts as a quantity. */
export function isQuantity(raw: unknown): boolean {
  return tryParseNanos(raw) !== undefined;
}

/**
 * Compares two quantities exactly: negative when a < b, 0 when equal, positive when a > b.
 *
 * @throws QuantityError when either is not a Kubernetes quantity.
 */
export function compareQuantities(a: string | number, b: string | number): number {
  const difference = parseQuantityNanos(a) - parseQuantityNanos(b);
  return difference === 0n ? 0 : difference < 0n ? -1 : 1;
}

/**
 * Returns why `raw` is not a quantity the API server takes for a request, limit or quota
 * (a quantity, and not negative), or undefined.
 */
export function nonNegativeQuantityProblem(raw: unknown): string | undefined {
  const nanos = tryParseNanos(raw);
  if (nanos === undefined) return 'is not a Kubernetes quantity';
  return nanos < 0n ? 'is negative' : undefined;
}
