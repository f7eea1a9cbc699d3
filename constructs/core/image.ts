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

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::\d+)?$/;
const TAG = /^[\w][\w.-]{0,127}$/;

/**
 * Returns why `image` is not a reference a container runtime can pull (the distribution
 * reference grammar: an optional registry host and port, lower-case path components, an
 * optional tag of at most 128 word characters, dots and dashes, an optional digest), or
 * undefined. `GHCR.io/Acme/App:1.0` fails on `Acme`; ` nginx:1.27` on the space.
 */
export function imageReferenceProblem(image: string): string | undefined {
  if (/\s/.test(image)) return 'has whitespace, which an image reference may not';
  const at = image.indexOf('@');
  const name = at >= 0 ? image.slice(0, at) : image;
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const tag = colon > slash ? name.slice(colon + 1) : undefined;
  const repository = colon > slash ? name.slice(0, colon) : name;
  if (repository === '') return 'has no repository';
  if (tag !== undefined && tag !== '' && !TAG.test(tag)) return `has the tag '${tag}', which is not 1 to 128 letters, digits, '_', '.' and '-' (not starting with '.' or '-')`;
  const parts = repository.split('/');
  const first = parts[0] ?? '';
  const hasDomain = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasDomain && !DOMAIN.test(first)) return `has the registry '${first}', which is not a host name with an optional port`;
  for (const component of hasDomain ? parts.slice(1) : parts) {
    if (!PATH_COMPONENT.test(component)) {
      return component !== component.toLowerCase()
        ? `has the repository path component '${component}' with upper-case letters, which a repository may not have`
        : `has the repository path component '${component}', which is not lower-case letters and digits separated by '.', '_', '__' or '-'`;
    }
  }
  return undefined;
}

/**
 * Returns why an image reference is not pinned (no tag and no digest, or the `latest`
 * tag without a digest), or undefined when it is pinned.
 */
export function imagePinProblem(image: string): string | undefined {
  const invalid = imageReferenceProblem(image);
  if (invalid) return invalid;
  const ref = parseImageReference(image);
  if (ref.repository === '') return 'has no repository';
  if (ref.digest !== undefined) return DIGEST.test(ref.digest) ? undefined : `has a malformed digest '${ref.digest}'`;
  if (ref.tag === undefined || ref.tag === '') return 'has no tag, so it pulls :latest';
  if (ref.tag === 'latest') return "uses the mutable tag 'latest'";
  return undefined;
}
