import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import sharp from 'sharp';

/** A phone photo located by GPS in its EXIF. */
export function gpsPhoto(width = 64, height = 48): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#c03020' } })
    .jpeg()
    .withExif({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '21/1 2/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '105/1 51/1 0/1' } })
    .toBuffer();
}

type Part = { name: string; value: string } | { name: string; file: Buffer; fileName: string; type: string };

/** A multipart/form-data body with text fields and files, for `inject`. */
export function multipart(parts: Part[]) {
  const boundary = `----dieuhanh-fb-${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    if ('file' in p) {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.fileName}"\r\nContent-Type: ${p.type}\r\n\r\n`), p.file, Buffer.from('\r\n'));
    } else {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value}\r\n`));
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

let address = 0;

/** A citizen submits a report from their own address (each call a new one unless `ip` is given). */
export function submitReport(
  app: FastifyInstance,
  fields: Record<string, string>,
  photos: Buffer[] = [],
  opts: { ip?: string; photoName?: string; photoType?: string } = {},
): Promise<LightMyRequestResponse> {
  const parts: Part[] = [
    ...Object.entries(fields).map(([name, value]) => ({ name, value })),
    ...photos.map((file, i) => ({ name: 'photos', file, fileName: opts.photoName ?? `anh-${i}.jpg`, type: opts.photoType ?? 'image/jpeg' })),
  ];
  const { payload, headers } = multipart(parts);
  return app.inject({ method: 'POST', url: '/api/v1/public/feedback', payload, headers, remoteAddress: opts.ip ?? `10.77.${(++address >> 8) & 255}.${address & 255}` });
}
