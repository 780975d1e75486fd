import type { ColumnType, Generated } from 'kysely';

// Table shapes as Kysely sees them. Columns filled by the database are Generated; bigint ids
// come back as strings (node-postgres' default), timestamps as Date.

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string | null, string | null>;

export interface OrgUnitTable {
  id: Generated<number>;
  code: string;
  name: string;
  kind: string;
  parent_id: number | null;
  path: string;
  level: number;
  active: Generated<boolean>;
  lat: number | null;
  lng: number | null;
  boundary: Json;
  search: ColumnType<string, never, never>;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

export interface UserTable {
  id: Generated<number>;
  username: string;
  full_name: string;
  email: string | null;
  phone: string | null;
  org_unit_id: number;
  password_hash: string;
  active: Generated<boolean>;
  last_login_at: Date | null;
  password_changed_at: Timestamp;
  search: ColumnType<string, never, never>;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

export interface UserGrantTable {
  id: Generated<number>;
  user_id: number;
  role: string;
  org_unit_id: number;
  created_at: Generated<Date>;
}

export interface LoginThrottleTable {
  username: string;
  failures: number;
  locked_until: Date | null;
  updated_at: Timestamp;
}

export interface SessionTable {
  id: string;
  user_id: number;
  csrf_token: string;
  ip: string | null;
  user_agent: string | null;
  created_at: Generated<Date>;
  last_seen_at: Timestamp;
  expires_at: Date;
}

export interface ApiKeyTable {
  id: Generated<number>;
  name: string;
  prefix: string;
  secret_hash: string;
  role: string;
  org_unit_id: number;
  created_by: number | null;
  created_at: Generated<Date>;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface AuditLogTable {
  id: ColumnType<string, never, never>;
  at: Generated<Date>;
  user_id: number | null;
  username: string | null;
  ip: string | null;
  module: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  org_unit_id: number | null;
  before: Json;
  after: Json;
}

export interface CalendarExceptionTable {
  id: Generated<number>;
  date: ColumnType<string, string, string>;
  kind: string;
  name: string;
  created_by: number | null;
  created_at: Generated<Date>;
}

export interface Tables {
  org_units: OrgUnitTable;
  users: UserTable;
  user_grants: UserGrantTable;
  login_throttle: LoginThrottleTable;
  sessions: SessionTable;
  api_keys: ApiKeyTable;
  audit_log: AuditLogTable;
  calendar_exceptions: CalendarExceptionTable;
}
