/** A reference to one key of a Secret. */
export interface SecretKeyRef {
  readonly name: string;
  readonly key: string;
}
