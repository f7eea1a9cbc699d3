/** A reference to one key of a Secret. */
export interface SecretKeyRef {
  /** The Secret's name. */
  readonly name: string;
  /** The key in the Secret's data. */
  readonly key: string;
}
