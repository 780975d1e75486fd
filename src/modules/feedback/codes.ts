import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** No 0/O or 1/I: a code read over the phone is not mistaken. 32 symbols, 8 of them: 40 bits. */
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const TRACKING_CODE = /^PA[2-9A-HJ-NP-Z]{8}$/;

/** A tracking code (mã theo dõi) such as 'PA7K2MX9QD', random so that nobody can guess the next one. */
export function trackingCode(): string {
  let code = 'PA';
  for (let i = 0; i < 8; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

/** The reporter's secret, shown once at submission; only its hash is kept. */
export function reporterToken(): { token: string; hash: string } {
  const token = randomBytes(24).toString('base64url');
  return { token, hash: hashToken(token) };
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A phone number as digits only, with the Vietnamese country code turned into a leading 0. */
export function phoneDigits(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.startsWith('84') && digits.length >= 11 ? `0${digits.slice(2)}` : digits;
}
