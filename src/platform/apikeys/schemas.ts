import { type Static, Type } from 'typebox';
import { ListQuery } from '../http/list.js';
import { RoleSchema } from '../users/schemas.js';

export const ApiKey = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  prefix: Type.String(),
  role: Type.String(),
  orgUnitId: Type.Integer(),
  orgUnitName: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
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
