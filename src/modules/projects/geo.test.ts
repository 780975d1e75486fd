import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../platform/errors/errors.js';
import { checkProjectGeometry, positionsOf } from './geo.js';

const refused = (value: unknown) =>
  assert.throws(() => checkProjectGeometry(value), (e: unknown) => e instanceof AppError && e.status === 400 && e.code === 'INVALID_GEOJSON');

test('points and lines of a project are kept, without members GeoJSON does not define', () => {
  assert.deepEqual(checkProjectGeometry({ type: 'Point', coordinates: [106.35, 21.01], crs: 'x' }), { type: 'Point', coordinates: [106.35, 21.01] });
  const road = { type: 'LineString', coordinates: [[106.3, 21.0], [106.4, 21.02]] };
  assert.deepEqual(checkProjectGeometry(road), road);
  const both = { type: 'GeometryCollection', geometries: [road, { type: 'MultiPoint', coordinates: [[106.1, 20.9]] }] };
  assert.deepEqual(checkProjectGeometry(both), both);
  assert.deepEqual(positionsOf(checkProjectGeometry(both)), [[106.3, 21.0], [106.4, 21.02], [106.1, 20.9]]);
});

test('a shape that is not a project place, or with wrong coordinates, is refused with INVALID_GEOJSON', () => {
  refused(null);
  refused('LINESTRING(106 21, 107 21)');
  refused({ type: 'Polygon', coordinates: [[[106, 21], [107, 21], [107, 22], [106, 21]]] });
  refused({ type: 'Point', coordinates: [21.0] });
  refused({ type: 'Point', coordinates: ['106', '21'] });
  refused({ type: 'Point', coordinates: [200, 21] });
  refused({ type: 'Point', coordinates: [106, 95] });
  refused({ type: 'LineString', coordinates: [[106, 21]] });
  refused({ type: 'MultiLineString', coordinates: [] });
  refused({ type: 'GeometryCollection', geometries: [{ type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [106, 21] }] }] });
  refused({ type: 'MultiPoint', coordinates: Array.from({ length: 20_001 }, () => [106, 21]) });
});
