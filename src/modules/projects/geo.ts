// A project's place on the map: points (a site, an industrial park) or lines (a road), as a
// GeoJSON geometry in WGS 84 [longitude, latitude]. Checked here before it is stored, so every
// map can draw what the database holds.

import { badRequest } from '../../platform/errors/errors.js';

export type ProjectGeometry =
  | { type: 'Point'; coordinates: number[] }
  | { type: 'MultiPoint'; coordinates: number[][] }
  | { type: 'LineString'; coordinates: number[][] }
  | { type: 'MultiLineString'; coordinates: number[][][] }
  | { type: 'GeometryCollection'; geometries: ProjectGeometry[] };

/** More positions than a hand-drawn or imported road needs: refused rather than stored. */
export const MAX_POSITIONS = 20_000;

const invalid = (why: string) =>
  badRequest('INVALID_GEOJSON', `Vị trí dự án không hợp lệ: ${why}. Hãy gửi một hình GeoJSON kiểu Point, MultiPoint, LineString, MultiLineString hoặc GeometryCollection với tọa độ [kinh độ, vĩ độ].`);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The geometry if it is one a project can have, else a 400 INVALID_GEOJSON that says what is
 * wrong. Only the members GeoJSON defines are kept (a `bbox` or a `crs` is dropped).
 */
export function checkProjectGeometry(value: unknown): ProjectGeometry {
  let positions = 0;
  const position = (p: unknown, where: string): number[] => {
    if (!Array.isArray(p) || p.length < 2 || p.length > 3 || !p.every((n) => typeof n === 'number' && Number.isFinite(n))) {
      throw invalid(`${where} phải là một cặp số [kinh độ, vĩ độ]`);
    }
    const [lng, lat] = p as number[];
    if (lng < -180 || lng > 180) throw invalid(`${where} có kinh độ ${lng} ngoài khoảng −180…180`);
    if (lat < -90 || lat > 90) throw invalid(`${where} có vĩ độ ${lat} ngoài khoảng −90…90`);
    if (++positions > MAX_POSITIONS) throw invalid(`có quá ${MAX_POSITIONS.toLocaleString('vi-VN')} điểm tọa độ`);
    return p as number[];
  };
  const line = (l: unknown, where: string): number[][] => {
    if (!Array.isArray(l) || l.length < 2) throw invalid(`${where} phải có ít nhất 2 điểm`);
    return l.map((p, i) => position(p, `${where}, điểm ${i + 1}`));
  };
  const list = (v: unknown, where: string): unknown[] => {
    if (!Array.isArray(v) || v.length === 0) throw invalid(`${where} phải là một danh sách không rỗng`);
    return v;
  };
  const geometry = (g: unknown, depth: number): ProjectGeometry => {
    if (!isObject(g)) throw invalid('không phải một đối tượng GeoJSON');
    switch (g.type) {
      case 'Point':
        return { type: 'Point', coordinates: position(g.coordinates, 'tọa độ điểm') };
      case 'MultiPoint':
        return { type: 'MultiPoint', coordinates: list(g.coordinates, 'tọa độ').map((p, i) => position(p, `điểm ${i + 1}`)) };
      case 'LineString':
        return { type: 'LineString', coordinates: line(g.coordinates, 'đường') };
      case 'MultiLineString':
        return { type: 'MultiLineString', coordinates: list(g.coordinates, 'tọa độ').map((l, i) => line(l, `đường ${i + 1}`)) };
      case 'GeometryCollection':
        if (depth > 0) throw invalid('không lồng GeometryCollection vào nhau');
        return { type: 'GeometryCollection', geometries: list(g.geometries, 'geometries').map((x) => geometry(x, depth + 1)) };
      default:
        throw invalid(`kiểu "${String(g.type)}" không dùng được cho vị trí dự án`);
    }
  };
  return geometry(value, 0);
}

/** Every [lng, lat] position of a checked geometry, in order. */
export function positionsOf(g: ProjectGeometry): number[][] {
  switch (g.type) {
    case 'Point':
      return [g.coordinates];
    case 'MultiPoint':
    case 'LineString':
      return g.coordinates;
    case 'MultiLineString':
      return g.coordinates.flat();
    case 'GeometryCollection':
      return g.geometries.flatMap(positionsOf);
  }
}
