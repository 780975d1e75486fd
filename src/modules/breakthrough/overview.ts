// The province's view (or any unit's, of its subtree): every unit's breakthrough items for a year
// in one table, with the progress and timeliness of the tasks they became and the year-end review.

import { type Actor, STAFF_ROLES, isInScope, scopePaths } from '../../platform/auth/actor.js';
import { notFound } from '../../platform/errors/errors.js';
import type { OrgUnitDirectory } from '../../platform/orgunits/directory.js';
import { toItem, unitRef } from './present.js';
import type { Overview, OverviewQuery } from './schemas.js';
import type { BreakthroughService } from './service.js';

export function createBreakthroughOverview(deps: { directory: OrgUnitDirectory; breakthrough: Pick<BreakthroughService, 'rowsFor'> }) {
  const { directory, breakthrough } = deps;

  return {
    async overview(actor: Actor, query: OverviewQuery): Promise<Overview> {
      const snapshot = await directory.snapshot();
      // Without a unit: the actor's widest unit (the province for the province's staff).
      const unitPath = query.unitId === undefined ? scopePaths(actor, STAFF_ROLES)[0] : snapshot.byId.get(query.unitId)?.path;
      const unit = unitPath ? snapshot.byPath.find((u) => u.path === unitPath) : undefined;
      if (!unit || !isInScope(actor, unit.path, STAFF_ROLES)) throw notFound('đơn vị');
      const { registrations, items, progress, sixClears } = await breakthrough.rowsFor(unit.path, query.year);
      const byId = new Map(registrations.map((r) => [r.id, r]));
      const rows = items.map((i) => {
        const r = byId.get(i.registration_id);
        if (!r) throw new Error(`item ${i.id} without its registration`);
        return {
          registrationId: r.id,
          registrationStatus: r.status,
          unit: unitRef(snapshot.byId.get(r.unit_id) ?? { id: r.unit_id, code: '', name: `#${r.unit_id}` }),
          item: toItem(i, snapshot.byId, progress.get(i.id), sixClears),
        };
      });
      // Lists by level, then by unit name in Vietnamese order, items in their order within each list.
      const unitOf = (r: (typeof registrations)[number]) => snapshot.byId.get(r.unit_id);
      const sorted = [...registrations].sort(
        (a, b) => (unitOf(a)?.level ?? 0) - (unitOf(b)?.level ?? 0) || (unitOf(a)?.name ?? '').localeCompare(unitOf(b)?.name ?? '', 'vi') || a.id - b.id,
      );
      const order = new Map(sorted.map((r, n) => [r.id, n]));
      rows.sort((a, b) => (order.get(a.registrationId) ?? 0) - (order.get(b.registrationId) ?? 0) || a.item.position - b.item.position);
      // The units that register lists: the administrative ones below (departments and agencies do not).
      const children = snapshot.byPath
        .filter((u) => u.parentId === unit.id && u.active && u.kind !== 'agency')
        .sort((a, b) => a.name.localeCompare(b.name, 'vi'));
      const registrationOf = new Map(registrations.map((r) => [r.unit_id, r]));
      const count = (test: (row: (typeof rows)[number]) => boolean) => rows.filter(test).length;
      return {
        year: query.year,
        unit: unitRef(unit),
        rows,
        units: children.map((c) => {
          const r = registrationOf.get(c.id);
          return { unit: unitRef(c), registrationId: r?.id ?? null, status: r?.status ?? null, itemCount: r?.item_count ?? 0 };
        }),
        totals: {
          items: rows.length,
          approved: count((x) => x.registrationStatus === 'approved'),
          completedOnTime: count((x) => x.item.task?.timeliness === 'completed_on_time'),
          completedLate: count((x) => x.item.task?.timeliness === 'completed_late'),
          inProgressWithin: count((x) => x.item.task?.timeliness === 'in_progress_within'),
          inProgressOverdue: count((x) => x.item.task?.timeliness === 'in_progress_overdue'),
          achieved: count((x) => x.item.review?.result === 'achieved'),
          partly: count((x) => x.item.review?.result === 'partly'),
          notAchieved: count((x) => x.item.review?.result === 'not'),
        },
      };
    },
  };
}

export type BreakthroughOverview = ReturnType<typeof createBreakthroughOverview>;
