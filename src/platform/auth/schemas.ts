import { Type } from 'typebox';
import { Nullable } from '../http/params.js';

export const GrantSchema = Type.Object({
  id: Type.Integer(),
  role: Type.String(),
  orgUnitId: Type.Integer(),
  orgUnitCode: Type.String(),
  orgUnitName: Type.String(),
});

export const OrgUnitRef = Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String() });

export const Me = Type.Object({
  id: Nullable(Type.Integer()),
  username: Type.String(),
  fullName: Type.String(),
  email: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  grants: Type.Array(GrantSchema),
  scope: Type.Array(OrgUnitRef),
});

export const MeResponse = Type.Object({ user: Me, csrfToken: Nullable(Type.String()) });

export const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 100 }),
    password: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);

export const ChangePasswordBody = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: 200 }),
    newPassword: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
