// Key projects on a Leaflet map that works offline: roads as lines, sites as circles, on a plain
// background with a scale; tiles only when the server configured a tile URL.
import 'leaflet/dist/leaflet.css';
import L from 'leaflet';
import { useEffect, useRef, useState } from 'react';
import { api } from '../../api';
import type { Geometry, ProjectStatus } from './types';

export interface MapProject {
  id: number;
  label: string;
  status: ProjectStatus;
  location: Geometry | null;
}

interface MapConfig {
  tileUrl: string | null;
  center: { lat: number; lng: number } | null;
}

const COLORS: Record<ProjectStatus, string> = { preparing: '#8c8c8c', in_progress: '#0b4f9c', suspended: '#fa8c16', completed: '#389e0d' };

/** The Leaflet layers of one geometry ([lng, lat] in GeoJSON, [lat, lng] in Leaflet). */
function layersOf(g: Geometry, color: string): L.Layer[] {
  const point = (c: number[]) => L.circleMarker([c[1], c[0]], { radius: 7, color: '#fff', weight: 2, fillColor: color, fillOpacity: 1 });
  const line = (cs: number[][]) => L.polyline(cs.map((c) => [c[1], c[0]] as L.LatLngTuple), { color, weight: 5, opacity: 0.9 });
  switch (g.type) {
    case 'Point':
      return [point(g.coordinates)];
    case 'MultiPoint':
      return g.coordinates.map(point);
    case 'LineString':
      return [line(g.coordinates)];
    case 'MultiLineString':
      return g.coordinates.map(line);
    case 'GeometryCollection':
      return g.geometries.flatMap((x) => layersOf(x, color));
  }
}

export function ProjectMap({ projects, onSelect, height = 360, testId }: { projects: MapProject[]; onSelect?: (id: number) => void; height?: number; testId?: string }) {
  const containerRef = useRef<HTMLDivElement | null>(null);
  const mapRef = useRef<L.Map | null>(null);
  const layerRef = useRef<L.FeatureGroup | null>(null);
  const [config, setConfig] = useState<MapConfig | null>(null);
  const [ready, setReady] = useState(0);
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;

  useEffect(() => {
    let alive = true;
    api
      .get<MapConfig>('/public/map-config')
      .catch(() => ({ tileUrl: null, center: null }))
      .then((c) => alive && setConfig(c));
    return () => {
      alive = false;
    };
  }, []);

  useEffect(() => {
    if (!containerRef.current || !config) return;
    const map = L.map(containerRef.current, {
      center: config.center ? [config.center.lat, config.center.lng] : [16, 106],
      zoom: config.center ? 10 : 6,
      attributionControl: !!config.tileUrl,
      preferCanvas: true,
    });
    if (config.tileUrl) L.tileLayer(config.tileUrl, { maxZoom: 19 }).addTo(map);
    L.control.scale({ imperial: false, position: 'bottomleft' }).addTo(map);
    mapRef.current = map;
    layerRef.current = L.featureGroup().addTo(map);
    setReady((v) => v + 1);
    const observer = new ResizeObserver(() => map.invalidateSize());
    observer.observe(containerRef.current);
    return () => {
      observer.disconnect();
      map.remove();
      mapRef.current = null;
    };
  }, [config]);

  useEffect(() => {
    const map = mapRef.current;
    const group = layerRef.current;
    if (!map || !group || ready === 0) return;
    group.clearLayers();
    for (const p of projects) {
      if (!p.location) continue;
      for (const layer of layersOf(p.location, COLORS[p.status])) {
        (layer as L.Path).bindTooltip(p.label);
        layer.on('click', () => onSelectRef.current?.(p.id));
        group.addLayer(layer);
      }
    }
    const bounds = group.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 });
  }, [projects, ready]);

  return <div ref={containerRef} className={`pj-map${config?.tileUrl ? '' : ' pj-map-offline'}`} style={{ height }} data-testid={testId} />;
}
