import { type Static, Type } from 'typebox';
import { ListQuery } from '../http/list.js';
import { Nullable } from '../http/params.js';

export const ORG_UNIT_KINDS = ['province', 'district', 'commune', 'agency'] as const;
export type OrgUnitKind = (typeof ORG_UNIT_KINDS)[number];

export const OrgUnitKindSchema = Type.Union(ORG_UNIT_KINDS.map((k) => Type.Literal(k)));

const Code = Type.String({ minLength: 1, maxLength: 50, pattern: '^[A-Za-z0-9_.-]+$' });
const Name = Type.String({ minLength: 1, maxLength: 200 });
const Lat = Nullable(Type.Number({ minimum: -90, maximum: 90 }));
const Lng = Nullable(Type.Number({ minimum: -180, maximum: 180 }));
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
  parentId: Nullable(Type.Integer()),
  level: Type.Integer(),
  active: Type.Boolean(),
  lat: Nullable(Type.Number()),
  lng: Nullable(Type.Number()),
  boundary: Type.Union([Type.Unknown(), Type.Null()]),
  childCount: Type.Integer(),
  path: Type.Array(Type.Integer()),
});
export type OrgUnit = Static<typeof OrgUnit>;

/** A unit in a list: as OrgUnit, with whether it has a boundary instead of the boundary itself. */
export const OrgUnitListItem = Type.Object({
  ...Type.Omit(OrgUnit, ['boundary']).properties,
  hasBoundary: Type.Boolean(),
});
export type OrgUnitListItem = Static<typeof OrgUnitListItem>;

export const OrgUnitNode = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  parentId: Nullable(Type.Integer()),
  active: Type.Boolean(),
  level: Type.Integer(),
});
export type OrgUnitNode = Static<typeof OrgUnitNode>;

export const CreateOrgUnit = Type.Object(
  {
    code: Code,
    name: Name,
    kind: OrgUnitKindSchema,
    parentId: Nullable(Type.Integer({ minimum: 1 })),
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
