import { type Static, type TSchema, Type } from 'typebox';

/** `/:id` of any integer-keyed record. */
export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) }, { additionalProperties: false });

export const ErrorBody = Type.Object({
  code: Type.String(),
  message: Type.String(),
  details: Type.Optional(Type.Unknown()),
});

/**
 * A primitive or null, as one JSON-schema type list rather than an anyOf: responses serialise
 * without trying each branch, and a wrong value is reported once.
 */
export function Nullable<T extends TSchema>(schema: T) {
  return Type.Unsafe<Static<T> | null>({ ...schema, type: [(schema as unknown as { type: string }).type, 'null'] });
}
