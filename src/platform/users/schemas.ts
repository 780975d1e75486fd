import { type Static, Type } from 'typebox';
import { ROLES } from '../auth/actor.js';
import { GrantSchema } from '../auth/schemas.js';
import { ListQuery } from '../http/list.js';
import { Nullable } from '../http/params.js';

export const RoleSchema = Type.Union(ROLES.map((r) => Type.Literal(r)));

export const User = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  fullName: Type.String(),
  email: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  orgUnitId: Type.Integer(),
  orgUnitName: Type.String(),
  active: Type.Boolean(),
  lockedUntil: Nullable(Type.String({ format: 'date-time' })),
  lastLoginAt: Nullable(Type.String({ format: 'date-time' })),
  createdAt: Type.String({ format: 'date-time' }),
  grants: Type.Array(GrantSchema),
});
export type User = Static<typeof User>;

const Username = Type.String({ minLength: 3, maxLength: 50, pattern: '^[A-Za-z0-9._-]+$' });
const FullName = Type.String({ minLength: 1, maxLength: 120 });
const Email = Nullable(Type.String({ maxLength: 200, pattern: '^[^@\\s<>]+@[^@\\s<>]+\\.[^@\\s<>]+$' }));
const Phone = Type.Union([Type.String({ maxLength: 20, pattern: '^\\+?[0-9 .-]{8,20}$' }), Type.Null()]);

export const GrantInput = Type.Object(
  { role: RoleSchema, orgUnitId: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false },
);
export type GrantInput = Static<typeof GrantInput>;

export const CreateUser = Type.Object(
  {
    username: Username,
    fullName: FullName,
    password: Type.String({ minLength: 1, maxLength: 200 }),
    email: Type.Optional(Email),
    phone: Type.Optional(Phone),
    /** The unit the person belongs to; defaults to the first grant's unit. */
    orgUnitId: Type.Optional(Type.Integer({ minimum: 1 })),
    grants: Type.Array(GrantInput, { minItems: 1, maxItems: 50 }),
  },
  { additionalProperties: false },
);
export type CreateUser = Static<typeof CreateUser>;

export const UpdateUser = Type.Object(
  {
    fullName: Type.Optional(FullName),
    email: Type.Optional(Email),
    phone: Type.Optional(Phone),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateUser = Static<typeof UpdateUser>;

export const ResetPassword = Type.Object({ password: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });

export const UserListQuery = Type.Object(
  {
    ...ListQuery,
    orgUnitId: Type.Optional(Type.Integer({ minimum: 1 })),
    role: Type.Optional(RoleSchema),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type UserListQuery = Static<typeof UserListQuery>;

export const DirectoryQuery = Type.Object(
  { unitId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })), q: Type.Optional(Type.String({ maxLength: 100 })) },
  { additionalProperties: false },
);
export type DirectoryQuery = Static<typeof DirectoryQuery>;

/** A colleague as a people picker shows them (no contact details, no grants). */
export const DirectoryEntry = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  fullName: Type.String(),
  orgUnitId: Type.Integer(),
  unitName: Type.String(),
});
export type DirectoryEntry = Static<typeof DirectoryEntry>;
export const Directory = Type.Object({ items: Type.Array(DirectoryEntry) });

export const GrantParams = Type.Object(
  { id: Type.Integer({ minimum: 1, maximum: 2147483647 }), grantId: Type.Integer({ minimum: 1, maximum: 2147483647 }) },
  { additionalProperties: false },
);
