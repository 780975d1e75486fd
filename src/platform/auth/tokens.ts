import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url');

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** API keys read `dh_<prefix>_<secret>`: the prefix finds the row, the secret's hash proves it. */
export function newApiKey(): { prefix: string; secret: string; full: string } {
  const prefix = randomBytes(6).toString('hex');
  const secret = randomToken(24);
  return { prefix, secret, full: `dh_${prefix}_${secret}` };
}

export function parseApiKey(full: string): { prefix: string; secret: string } | null {
  const m = /^dh_([0-9a-f]{12})_([A-Za-z0-9_-]{20,64})$/.exec(full);
  return m ? { prefix: m[1], secret: m[2] } : null;
}
