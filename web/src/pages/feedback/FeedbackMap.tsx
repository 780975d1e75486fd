// A Leaflet map that works offline: points drawn as vector circles on a plain background with a
// scale; the tile layer is added only when the server configured a tile URL. No marker images.
import 'leaflet/dist/leaflet.css';
import L from 'leaflet';
import { useEffect, useRef, useState } from 'react';
import { api } from '../../api';

export interface MapPoint {
  lat: number;
  lng: number;
  /** the popup text (plain text, never HTML) */
  label?: string;
  color?: string;
  key?: string | number;
}

export interface FeedbackMapProps {
  /** `https://…/{z}/{x}/{y}.png`; empty or null: no tiles */
  tileUrl?: string | null;
  /** report markers */
  points?: MapPoint[];
  /** reference points (org-unit centres), drawn small and grey */
  unitPoints?: MapPoint[];
  /** the chosen place of a new report */
  picked?: { lat: number; lng: number } | null;
  onPick?: (lat: number, lng: number) => void;
  onPointClick?: (point: MapPoint) => void;
  /** draw the points as translucent blobs: where they overlap the colour builds up */
  heat?: boolean;
  height?: number | string;
  className?: string;
  testId?: string;
}

/** What the server says every map needs: its tiles (if any) and the locality's centre. */
interface MapConfig {
  tileUrl: string | null;
  center: { lat: number; lng: number } | null;
  localityName: string | null;
}

// The middle of Vietnam: only when the locality has no centre recorded and there is nothing to fit to.
const FALLBACK_CENTER: L.LatLngTuple = [16.0, 106.0];

let mapConfig: Promise<MapConfig> | null = null;

/** The server's map configuration, fetched once per page load. */
function useMapConfig(): MapConfig | null {
  const [config, setConfig] = useState<MapConfig | null>(null);
  useEffect(() => {
    mapConfig ??= api.get<MapConfig>('/public/map-config').catch(() => ({ tileUrl: null, center: null, localityName: null }));
    let alive = true;
    void mapConfig.then((c) => alive && setConfig(c));
    return () => {
      alive = false;
    };
  }, []);
  return config;
}

export function FeedbackMap(props: FeedbackMapProps) {
  const { points, unitPoints, picked, onPick, onPointClick, heat, height = 320, className, testId } = props;
  const config = useMapConfig();
  const tileUrl = props.tileUrl ?? config?.tileUrl ?? null;
  const containerRef = useRef<HTMLDivElement | null>(null);
  const mapRef = useRef<L.Map | null>(null);
  const layerRef = useRef<L.LayerGroup | null>(null);
  const pickedRef = useRef<L.LayerGroup | null>(null);
  const fittedRef = useRef(false);
  // Bumped when a map is built, so the markers are drawn on it even if they arrived first.
  const [mapVersion, setMapVersion] = useState(0);
  const onPickRef = useRef(onPick);
  const onPointClickRef = useRef(onPointClick);
  onPickRef.current = onPick;
  onPointClickRef.current = onPointClick;

  useEffect(() => {
    // Wait for the configuration, so the map opens on the locality rather than jumping there.
    if (!containerRef.current || !config) return;
    const map = L.map(containerRef.current, {
      center: config.center ? [config.center.lat, config.center.lng] : FALLBACK_CENTER,
      zoom: config.center ? 11 : 6,
      minZoom: 3,
      maxZoom: 19,
      attributionControl: !!tileUrl,
      preferCanvas: true,
    });
    if (tileUrl) L.tileLayer(tileUrl, { maxZoom: 19 }).addTo(map);
    L.control.scale({ imperial: false, position: 'bottomleft' }).addTo(map);
    map.on('click', (event: L.LeafletMouseEvent) => onPickRef.current?.(event.latlng.lat, event.latlng.lng));
    mapRef.current = map;
    layerRef.current = L.layerGroup().addTo(map);
    pickedRef.current = L.layerGroup().addTo(map);
    fittedRef.current = false;
    setMapVersion((v) => v + 1);
    // The container may get its size after the first paint (tabs, modals, flex layouts).
    const observer = new ResizeObserver(() => map.invalidateSize());
    observer.observe(containerRef.current);
    return () => {
      observer.disconnect();
      map.remove();
      mapRef.current = null;
    };
  }, [tileUrl, config]);

  useEffect(() => {
    const map = mapRef.current;
    const layer = layerRef.current;
    if (!map || !layer || mapVersion === 0) return;
    layer.clearLayers();
    const bounds: L.LatLngTuple[] = [];
    for (const point of unitPoints ?? []) {
      const marker = L.circleMarker([point.lat, point.lng], {
        radius: 4,
        color: '#8c8c8c',
        weight: 1,
        fillColor: '#bfbfbf',
        fillOpacity: 0.9,
      });
      if (point.label) marker.bindTooltip(point.label);
      marker.addTo(layer);
      bounds.push([point.lat, point.lng]);
    }
    for (const point of points ?? []) {
      const marker = heat
        ? L.circleMarker([point.lat, point.lng], {
            radius: 14,
            stroke: false,
            fillColor: point.color ?? '#f5222d',
            fillOpacity: 0.25,
          })
        : L.circleMarker([point.lat, point.lng], {
            radius: 7,
            color: '#fff',
            weight: 2,
            fillColor: point.color ?? '#0b4f9c',
            fillOpacity: 1,
          });
      if (point.label && !heat) marker.bindTooltip(point.label);
      marker.on('click', () => onPointClickRef.current?.(point));
      marker.addTo(layer);
      bounds.push([point.lat, point.lng]);
    }
    if (!fittedRef.current && bounds.length) {
      fittedRef.current = true;
      if (bounds.length === 1) map.setView(bounds[0], 15);
      else map.fitBounds(L.latLngBounds(bounds), { padding: [24, 24], maxZoom: 16 });
    }
  }, [points, unitPoints, heat, mapVersion]);

  useEffect(() => {
    const map = mapRef.current;
    const layer = pickedRef.current;
    if (!map || !layer || mapVersion === 0) return;
    layer.clearLayers();
    if (!picked) return;
    L.circleMarker([picked.lat, picked.lng], {
      radius: 10,
      color: '#fff',
      weight: 3,
      fillColor: '#f5222d',
      fillOpacity: 1,
    }).addTo(layer);
    L.circle([picked.lat, picked.lng], { radius: 30, color: '#f5222d', weight: 1, fillOpacity: 0.08 }).addTo(layer);
    if (!map.getBounds().contains([picked.lat, picked.lng])) map.setView([picked.lat, picked.lng], Math.max(map.getZoom(), 15));
  }, [picked, mapVersion]);

  return (
    <div
      ref={containerRef}
      className={`fb-map${tileUrl ? '' : ' fb-map-offline'}${className ? ` ${className}` : ''}`}
      style={{ height }}
      data-testid={testId}
    />
  );
}
