import { type Static, Type } from 'typebox';
import { ListQuery } from '../http/list.js';

export const ORG_UNIT_KINDS = ['province', 'district', 'commune', 'agency'] as const;
export type OrgUnitKind = (typeof ORG_UNIT_KINDS)[number];

export const OrgUnitKindSchema = Type.Union(ORG_UNIT_KINDS.map((k) => Type.Literal(k)));

const Code = Type.String({ minLength: 1, maxLength: 50, pattern: '^[A-Za-z0-9_.-]+$' });
const Name = Type.String({ minLength: 1, maxLength: 200 });
const Lat = Type.Union([Type.Number({ minimum: -90, maximum: 90 }), Type.Null()]);
const Lng = Type.Union([Type.Number({ minimum: -180, maximum: 180 }), Type.Null()]);
// A GeoJSON Polygon or MultiPolygon; the coordinates' shape is checked in the service.
const Boundary = Type.Union([
  Type.Object(
    {
      type: Type.Union([Type.Literal('Polygon'), Type.Literal('MultiPolygon')]),
      coordinates: Type.Array(Type.Unknown(), { minItems: 1 }),
    },
    { additionalProperties: false },
  ),
  Type.Null(),
]);

export const OrgUnit = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  parentId: Type.Union([Type.Integer(), Type.Null()]),
  level: Type.Integer(),
  active: Type.Boolean(),
  lat: Type.Union([Type.Number(), Type.Null()]),
  lng: Type.Union([Type.Number(), Type.Null()]),
  boundary: Type.Union([Type.Unknown(), Type.Null()]),
  childCount: Type.Integer(),
  path: Type.Array(Type.Integer()),
});
export type OrgUnit = Static<typeof OrgUnit>;

export const OrgUnitNode = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  parentId: Type.Union([Type.Integer(), Type.Null()]),
  active: Type.Boolean(),
  level: Type.Integer(),
});
export type OrgUnitNode = Static<typeof OrgUnitNode>;

export const CreateOrgUnit = Type.Object(
  {
    code: Code,
    name: Name,
    kind: OrgUnitKindSchema,
    parentId: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
    lat: Type.Optional(Lat),
    lng: Type.Optional(Lng),
    boundary: Type.Optional(Boundary),
  },
  { additionalProperties: false },
);
export type CreateOrgUnit = Static<typeof CreateOrgUnit>;

export const UpdateOrgUnit = Type.Object(
  {
    code: Type.Optional(Code),
    name: Type.Optional(Name),
    kind: Type.Optional(OrgUnitKindSchema),
    lat: Type.Optional(Lat),
    lng: Type.Optional(Lng),
    boundary: Type.Optional(Boundary),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateOrgUnit = Static<typeof UpdateOrgUnit>;

export const MoveOrgUnit = Type.Object({ parentId: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });

export const OrgUnitListQuery = Type.Object(
  {
    ...ListQuery,
    parentId: Type.Optional(Type.Integer({ minimum: 1 })),
    rootId: Type.Optional(Type.Integer({ minimum: 1 })),
    kind: Type.Optional(OrgUnitKindSchema),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type OrgUnitListQuery = Static<typeof OrgUnitListQuery>;

export const ImportResult = Type.Object({
  dryRun: Type.Boolean(),
  total: Type.Integer(),
  created: Type.Integer(),
  updated: Type.Integer(),
  errors: Type.Array(Type.Object({ row: Type.Integer(), message: Type.String() })),
});
export type ImportResult = Static<typeof ImportResult>;
