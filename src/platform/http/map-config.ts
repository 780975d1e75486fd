import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { OrgUnitDirectory } from '../orgunits/directory.js';
import { Nullable } from './params.js';

const MapConfig = Type.Object({
  /** Tile URL template, or null: maps draw without tiles (offline). */
  tileUrl: Nullable(Type.String()),
  /** Where maps open: the centre of the locality (its root unit). */
  center: Type.Union([Type.Object({ lat: Type.Number(), lng: Type.Number() }), Type.Null()]),
  localityName: Nullable(Type.String()),
});

/** GET /api/v1/public/map-config: what every map (public or staff) needs before it draws. */
export function mapConfigRoutes(app: FastifyInstance, deps: { tileUrl: string; directory: OrgUnitDirectory }) {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/api/v1/public/map-config',
    { schema: { tags: ['Bản đồ (maps)'], response: { 200: MapConfig } }, config: { public: true } },
    async () => {
      const { byPath } = await deps.directory.snapshot();
      const root = byPath.find((u) => u.parentId === null && u.active && u.lat !== null && u.lng !== null);
      return {
        tileUrl: deps.tileUrl || null,
        center: root ? { lat: root.lat as number, lng: root.lng as number } : null,
        localityName: root?.name ?? null,
      };
    },
  );
}
