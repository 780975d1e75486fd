// The projects API's shapes, as src/modules/projects/schemas.ts serves them.

export type ProjectStatus = 'preparing' | 'in_progress' | 'suspended' | 'completed';
export const PROJECT_STATUSES: ProjectStatus[] = ['preparing', 'in_progress', 'suspended', 'completed'];

export interface UnitRef {
  id: number;
  code: string;
  name: string;
}

export interface Figures {
  disbursed: number;
  disbursementRate: number | null;
  segmentsLengthKm: number;
  physicalProgress: number | null;
  affectedAreaM2: number;
  handedOverAreaM2: number;
  clearanceRate: number | null;
  affectedHouseholds: number;
  agreedHouseholds: number;
  obstaclesOpen: number;
  obstaclesOverdue: number;
}

/** A GeoJSON geometry: points or lines, [lng, lat]. */
export type Geometry =
  | { type: 'Point'; coordinates: number[] }
  | { type: 'MultiPoint'; coordinates: number[][] }
  | { type: 'LineString'; coordinates: number[][] }
  | { type: 'MultiLineString'; coordinates: number[][][] }
  | { type: 'GeometryCollection'; geometries: Geometry[] };

export interface Project {
  id: number;
  code: string;
  name: string;
  investor: string;
  managingUnit: UnitRef;
  location: Geometry | null;
  totalLengthKm: number | null;
  totalCapital: number;
  capitalSources: { source: string; amount: number }[];
  status: ProjectStatus;
  startOn: string | null;
  endOn: string | null;
  description: string | null;
  figures: Figures;
  can: { edit: boolean };
  createdAt: string;
  updatedAt: string;
}

export interface Segment {
  id: number;
  name: string;
  lengthKm: number;
  commune: UnitRef | null;
  investor: string | null;
  position: number;
  progress: number;
  progressOn: string | null;
  entries: { id: number; onDate: string; percent: number; note: string | null; createdAt: string }[];
}

export interface Disbursement {
  id: number;
  year: number;
  quarter: number | null;
  month: number | null;
  amount: number;
  cumulative: number;
  note: string | null;
  createdAt: string;
}

export interface Milestone {
  id: number;
  name: string;
  plannedOn: string;
  actualOn: string | null;
  note: string | null;
}

export interface Clearance {
  id: number;
  commune: UnitRef;
  affectedHouseholds: number;
  affectedAreaM2: number;
  agreedHouseholds: number;
  compensationApproved: number;
  compensationPaid: number;
  handedOverAreaM2: number;
  handedOverRate: number | null;
  note: string | null;
  updatedAt: string;
}

export interface Obstacle {
  id: number;
  commune: UnitRef | null;
  description: string;
  responsibleUnit: UnitRef;
  dueOn: string;
  status: 'open' | 'resolved';
  overdue: boolean;
  resolvedAt: string | null;
  resolution: string | null;
  task: { id: number; code: string; status: string; timeliness: string | null; dueOn: string | null; progress: number } | null;
  createdAt: string;
}

export interface Photo {
  id: number;
  segmentId: number | null;
  takenOn: string;
  caption: string | null;
  width: number;
  height: number;
  url: string;
}

export interface ProjectDetail extends Project {
  segments: Segment[];
  disbursements: Disbursement[];
  milestones: Milestone[];
  clearances: Clearance[];
  obstacles: Obstacle[];
  photos: Photo[];
}

export interface Overview {
  items: Project[];
  totals: Figures & { projects: number; totalCapital: number };
}
