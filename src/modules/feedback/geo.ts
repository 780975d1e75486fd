// Plane geometry good enough for a province: distances on the sphere (haversine) and
// point-in-polygon over the GeoJSON boundaries kept in org_units.boundary ([lng, lat] pairs).

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in metres. */
export function distanceMeters(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const dLat = rad(lat2 - lat1);
  const dLng = rad(lng2 - lng1);
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** The latitude/longitude box around a point that holds every point within `meters` of it. */
export function boxAround(lat: number, lng: number, meters: number) {
  const dLat = (meters / EARTH_RADIUS_M) * (180 / Math.PI);
  const dLng = dLat / Math.max(Math.cos(rad(lat)), 0.01);
  return { minLat: lat - dLat, maxLat: lat + dLat, minLng: lng - dLng, maxLng: lng + dLng };
}

type Ring = [number, number][];

function inRing(lat: number, lng: number, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** A polygon is its outer ring minus its holes. */
function inPolygon(lat: number, lng: number, rings: Ring[]): boolean {
  if (!Array.isArray(rings) || rings.length === 0 || !inRing(lat, lng, rings[0])) return false;
  return !rings.slice(1).some((hole) => inRing(lat, lng, hole));
}

/** True when the point lies inside a GeoJSON Polygon or MultiPolygon; false for anything else. */
export function containsPoint(boundary: unknown, lat: number, lng: number): boolean {
  if (!boundary || typeof boundary !== 'object') return false;
  const { type, coordinates } = boundary as { type?: string; coordinates?: unknown };
  if (!Array.isArray(coordinates)) return false;
  if (type === 'Polygon') return inPolygon(lat, lng, coordinates as Ring[]);
  if (type === 'MultiPolygon') return (coordinates as Ring[][]).some((polygon) => inPolygon(lat, lng, polygon));
  return false;
}

export interface Bounds {
  minLat: number;
  maxLat: number;
  minLng: number;
  maxLng: number;
}

/** The box around a GeoJSON Polygon's or MultiPolygon's outer rings; null for anything else. */
export function boundsOf(boundary: unknown): Bounds | null {
  if (!boundary || typeof boundary !== 'object') return null;
  const { type, coordinates } = boundary as { type?: string; coordinates?: unknown };
  if (!Array.isArray(coordinates)) return null;
  const polygons = (type === 'Polygon' ? [coordinates] : type === 'MultiPolygon' ? coordinates : []) as Ring[][];
  const box: Bounds = { minLat: Infinity, maxLat: -Infinity, minLng: Infinity, maxLng: -Infinity };
  for (const polygon of polygons) {
    if (!Array.isArray(polygon) || !Array.isArray(polygon[0])) continue;
    for (const point of polygon[0]) {
      if (!Array.isArray(point)) continue;
      const [lng, lat] = point;
      if (lat < box.minLat) box.minLat = lat;
      if (lat > box.maxLat) box.maxLat = lat;
      if (lng < box.minLng) box.minLng = lng;
      if (lng > box.maxLng) box.maxLng = lng;
    }
  }
  return box.minLat <= box.maxLat ? box : null;
}

export const inBounds = (box: Bounds, lat: number, lng: number) => lat >= box.minLat && lat <= box.maxLat && lng >= box.minLng && lng <= box.maxLng;
