import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Bounds, boundsOf, boxAround, containsPoint, distanceMeters, inBounds } from './geo.js';

const square = { type: 'Polygon', coordinates: [[[106.0, 21.0], [106.1, 21.0], [106.1, 21.1], [106.0, 21.1], [106.0, 21.0]]] };

test('a point inside a commune boundary is found in it, one outside is not', () => {
  assert.equal(containsPoint(square, 21.05, 106.05), true);
  assert.equal(containsPoint(square, 21.15, 106.05), false);
  assert.equal(containsPoint(null, 21.05, 106.05), false);
});

test('a hole in a polygon is not inside it, and every polygon of a MultiPolygon counts', () => {
  const holed = { type: 'Polygon', coordinates: [...square.coordinates, [[106.04, 21.04], [106.06, 21.04], [106.06, 21.06], [106.04, 21.06], [106.04, 21.04]]] };
  assert.equal(containsPoint(holed, 21.05, 106.05), false);
  assert.equal(containsPoint(holed, 21.01, 106.01), true);
  const multi = { type: 'MultiPolygon', coordinates: [square.coordinates, [[[107, 22], [107.1, 22], [107.1, 22.1], [107, 22]]]] };
  assert.equal(containsPoint(multi, 22.02, 107.05), true);
});

test('distances on the ground: 0.001° of latitude is about 111 m, and the box holds the radius', () => {
  assert.ok(Math.abs(distanceMeters(21, 106, 21.001, 106) - 111.2) < 0.5);
  const box = boxAround(21, 106, 100);
  assert.ok(distanceMeters(21, 106, box.maxLat, 106) >= 99.9);
  assert.ok(distanceMeters(21, 106, 21, box.maxLng) >= 99.9);
});

test('the bounds of a boundary hold every point inside it; a shape that is not a polygon has none', () => {
  const multi = { type: 'MultiPolygon', coordinates: [square.coordinates, [[[107, 22], [107.1, 22], [107.1, 22.1], [107, 22]]]] };
  assert.deepEqual(boundsOf(square), { minLat: 21.0, maxLat: 21.1, minLng: 106.0, maxLng: 106.1 });
  assert.deepEqual(boundsOf(multi), { minLat: 21.0, maxLat: 22.1, minLng: 106.0, maxLng: 107.1 });
  assert.equal(inBounds(boundsOf(square) as Bounds, 21.05, 106.05), true);
  assert.equal(inBounds(boundsOf(square) as Bounds, 21.15, 106.05), false);
  for (const shape of [null, 'x', { type: 'Point', coordinates: [106, 21] }, { type: 'Polygon', coordinates: [] }]) assert.equal(boundsOf(shape), null);
});
