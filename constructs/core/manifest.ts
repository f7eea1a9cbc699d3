/** The one shape every layer reads and writes: a Kubernetes object as plain JSON. */

/** A Kubernetes object as it leaves the library (plain JSON, after synthesis). */
export interface ManifestObject {
  /** The object's API group and version: `apps/v1`. */
  readonly apiVersion: string;
  /** The object's kind: `Deployment`. */
  readonly kind: string;
  /**
   * The object's metadata: name, namespace, labels, annotations and the rest.
   * @default - none (the API server rejects most objects without one)
   */
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
    readonly [key: string]: unknown;
  };
  readonly [key: string]: unknown;
}
