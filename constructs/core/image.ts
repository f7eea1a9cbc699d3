/**
 * Container image references: `[registry[:port]/]repository[:tag][@digest]`.
 */

/** The parts of an image reference the kit cares about. */
export interface ImageReference {
  /** Everything before the tag or digest: `registry:5000/team/app`. */
  readonly repository: string;
  /**
   * The tag, after the last `:` of the name part: `1.27.3`.
   * @default - none: the reference has no tag
   */
  readonly tag?: string;
  /**
   * The digest, after the `@`: `sha256:…`.
   * @default - none: the reference has no digest
   */
  readonly digest?: string;
}

/** Splits an image reference. A `:` before the last `/` belongs to a registry port, not a tag. */
export function parseImageReference(image: string): ImageReference {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const name = at >= 0 ? image.slice(0, at) : image;
  const lastSlash = name.lastIndexOf('/');
  const colon = name.indexOf(':', lastSlash + 1);
  const tag = colon >= 0 ? name.slice(colon + 1) : undefined;
  const repository = colon >= 0 ? name.slice(0, colon) : name;
  return { repository, ...(tag !== undefined && { tag }), ...(digest !== undefined && { digest }) };
}

/** An OCI content digest: `algorithm:encoded`, e.g. `sha256:` and 64 hex digits. */
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;

/**
 * Returns why an image reference is not pinned (no tag and no digest, or the `latest`
 * tag without a digest), or undefined when it is pinned.
 */
export function imagePinProblem(image: string): string | undefined {
  const ref = parseImageReference(image);
  if (ref.repository === '') return 'has no repository';
  if (ref.digest !== undefined) return DIGEST.test(ref.digest) ? undefined : `has a malformed digest '${ref.digest}'`;
  if (ref.tag === undefined || ref.tag === '') return 'has no tag, so it pulls :latest';
  if (ref.tag === 'latest') return "uses the mutable tag 'latest'";
  return undefined;
}
