/**
 * The name rules of the AWS resources the kit's settings and constructs name (regions, S3
 * buckets, Route 53 hosted zones, EKS clusters), as pure predicates in the style of
 * `_names.ts`: each returns why a value breaks the rule, or undefined.
 */

/** An AWS region name: `eu-west-1`, `us-gov-west-1`. */
export const AWS_REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

/** Why `value` is not an AWS region name, or undefined. */
export function awsRegionProblem(value: string): string | undefined {
  return AWS_REGION.test(value) ? undefined : "is not an AWS region; expected e.g. 'eu-west-1'";
}

/** Why `value` is not an EKS cluster name (EKS CreateCluster's rule), or undefined. */
export function eksClusterNameProblem(value: string): string | undefined {
  if (value === '') return "is empty; expected the EKS cluster's name";
  if (value.length > 100 || !/^[0-9A-Za-z][A-Za-z0-9_-]*$/.test(value)) {
    return "is not an EKS cluster name; expected letters, digits, '-' and '_', starting with a letter or digit, at most 100 characters";
  }
  return undefined;
}

const RESERVED_BUCKET_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_BUCKET_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

/**
 * Why `value` is not a valid name for an S3 general purpose bucket, or undefined.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */
export function s3BucketNameProblem(value: string): string | undefined {
  if (value.length < 3 || value.length > 63) return `must be 3 to 63 characters long (got ${value.length})`;
  if (!/^[a-z0-9.-]+$/.test(value)) return "may contain only lower-case letters, digits, '.' and '-'";
  if (!/^[a-z0-9].*[a-z0-9]$/.test(value)) return 'must begin and end with a lower-case letter or a digit';
  if (value.includes('..')) return 'must not contain two adjacent periods';
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(value)) return 'must not be formatted as an IP address';
  const prefix = RESERVED_BUCKET_PREFIXES.find((p) => value.startsWith(p));
  if (prefix) return `must not start with the reserved prefix '${prefix}'`;
  const suffix = RESERVED_BUCKET_SUFFIXES.find((s) => value.endsWith(s));
  if (suffix) return `must not end with the reserved suffix '${suffix}'`;
  return undefined;
}

/** Why `value` is not a Route 53 hosted zone id (`Z` and upper-case letters and digits), or undefined. */
export function route53ZoneIdProblem(value: string): string | undefined {
  if (/^Z[A-Z0-9]+$/.test(value) && value.length <= 32) return undefined;
  return "is not a Route 53 hosted zone id; expected 'Z' followed by upper-case letters and digits, e.g. 'Z0123456789ABCDEFGHIJ', without the '/hostedzone/' prefix";
}
