import { z } from 'zod';

/** An object that rejects keys it does not declare, naming the keys it accepts. */
export function strictObject<Shape extends z.ZodRawShape>(shape: Shape) {
  const known = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown key; expected one of ${known}` : undefined),
  });
}
