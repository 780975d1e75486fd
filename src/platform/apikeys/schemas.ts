import { type Static, Type } from 'typebox';
import { ListQuery } from '../http/list.js';
import { RoleSchema } from '../users/schemas.js';
import { Nullable } from '../http/params.js';

export const ApiKey = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  prefix: Type.String(),
  role: Type.String(),
  orgUnitId: Type.Integer(),
  orgUnitName: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  createdBy: Nullable(Type.String()),
  lastUsedAt: Nullable(Type.String({ format: 'date-time' })),
  revokedAt: Nullable(Type.String({ format: 'date-time' })),
});
export type ApiKey = Static<typeof ApiKey>;

export const CreateApiKey = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100 }), role: RoleSchema, orgUnitId: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false },
);
export type CreateApiKey = Static<typeof CreateApiKey>;

export const ApiKeyListQuery = Type.Object(
  { ...ListQuery, orgUnitId: Type.Optional(Type.Integer({ minimum: 1 })), revoked: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type ApiKeyListQuery = Static<typeof ApiKeyListQuery>;
