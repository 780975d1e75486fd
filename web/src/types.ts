// Shapes of the JSON API (docs/api-contract.md). Kept in one place so pages agree.

export type Role = 'administrator' | 'leader' | 'operator' | 'officer' | 'citizen';
export const ROLES: Role[] = ['administrator', 'leader', 'operator', 'officer', 'citizen'];

export type OrgUnitKind = 'province' | 'district' | 'commune' | 'agency';
export const ORG_UNIT_KINDS: OrgUnitKind[] = ['province', 'district', 'commune', 'agency'];

export interface ListResponse<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface Grant {
  id: number;
  role: Role;
  orgUnitId: number;
  orgUnitName: string;
  orgUnitCode: string;
}

export interface OrgUnitRef {
  id: number;
  code?: string;
  name: string;
}

export interface Me {
  id: number;
  username: string;
  fullName: string;
  email: string | null;
  phone: string | null;
  grants: Grant[];
  scope: OrgUnitRef[];
}

export interface SessionResponse {
  user: Me;
  csrfToken: string;
}

export interface OrgUnitNode {
  id: number;
  code: string;
  name: string;
  kind: OrgUnitKind;
  parentId: number | null;
  active: boolean;
  level: number;
}

/** A unit in a list (GET /org-units): whether it has a boundary, not the boundary itself. */
export interface OrgUnitListItem extends OrgUnitNode {
  lat: number | null;
  lng: number | null;
  hasBoundary: boolean;
  childCount: number;
  path: number[];
}

/** A unit as GET /org-units/:id returns it. */
export interface OrgUnit extends Omit<OrgUnitListItem, 'hasBoundary'> {
  boundary: unknown | null;
}

export interface OrgUnitImportResult {
  dryRun: boolean;
  total: number;
  created: number;
  updated: number;
  errors: { row: number; message: string }[];
}

export interface User {
  id: number;
  username: string;
  fullName: string;
  email: string | null;
  phone: string | null;
  /** the unit the person belongs to (not in the written contract; the server sends it) */
  orgUnitId?: number;
  orgUnitName?: string;
  active: boolean;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  createdAt: string;
  grants: Grant[];
}

export interface ApiKey {
  id: number;
  name: string;
  prefix: string;
  role: Role;
  orgUnitId: number;
  orgUnitName: string;
  createdAt: string;
  createdBy: number | string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface AuditEntry {
  id: string;
  at: string;
  userId: number | null;
  username: string | null;
  ip: string | null;
  module: string;
  action: string;
  entityType: string;
  entityId: string | number | null;
  orgUnitId: number | null;
  /** sent by the server though not in the written contract */
  orgUnitName?: string | null;
  before: unknown | null;
  after: unknown | null;
}

export type CalendarDayKind =
  | 'working'
  | 'weekend'
  | 'holiday'
  | 'compensatory'
  | 'exception-off'
  | 'exception-work';

export interface CalendarDay {
  date: string;
  working: boolean;
  kind: CalendarDayKind;
  name: string | null;
}

export interface CalendarYear {
  year: number;
  days: CalendarDay[];
}

export interface CalendarException {
  id: number;
  date: string;
  kind: 'off' | 'work';
  name: string;
}
