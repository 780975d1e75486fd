// Fetching the photo behind a citizen-supplied Open311 `media_url` without letting it reach into
// the server's own network (SSRF). Each hop must be http(s) without credentials, name a host on
// the administrator's allow-list, and resolve only to public addresses; the connection then goes
// to the address that was checked, never to a second DNS answer (DNS rebinding).

import { lookup as dnsLookup } from 'node:dns/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import net, { type LookupFunction } from 'node:net';
import { domainToASCII } from 'node:url';
import { AppError } from '../../../platform/errors/errors.js';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Every address a host name resolves to. */
export type HostLookup = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export interface MediaFetchOptions {
  /** Exact host names, or `*.suffix` for any subdomain of suffix (not suffix itself). */
  allowedHosts: readonly string[];
  maxBytes: number;
  /** For the whole fetch, redirects included. */
  timeoutMs: number;
  /** Defaults to the system resolver. */
  lookup?: HostLookup;
  /** Defaults to 3. */
  maxRedirects?: number;
  /**
   * Tests only: lets loopback addresses (127.0.0.0/8, ::1) through so that a local server can
   * stand in for a photo host. Off by default; nothing outside tests may set it.
   */
  allowLoopbackForTests?: boolean;
}

export interface FetchedMedia {
  data: Buffer;
  /** As the server declared it; the caller checks the bytes themselves. */
  contentType: string | null;
  /** After redirects. */
  url: string;
}

const DEFAULT_MAX_REDIRECTS = 3;
const USER_AGENT = 'dieuhanh-open311-media/1';

const mediaError = (status: number, code: string, vi: string, en: string) => new AppError(status, code, `${vi} / ${en}`);

// ── Addresses ──────────────────────────────────────────────────────────────────────────────────

export type AddressKind =
  | 'public'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link_local'
  | 'unique_local'
  | 'cgnat'
  | 'multicast'
  | 'reserved'
  | 'invalid';

/** [first address as a 32-bit number, prefix length, kind], checked in order. */
const IPV4_RANGES: [string, number, AddressKind][] = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'cgnat'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link_local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'], // IETF protocol assignments
  ['192.0.2.0', 24, 'reserved'], // documentation
  ['192.88.99.0', 24, 'reserved'], // 6to4 relay anycast
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'], // benchmarking
  ['198.51.100.0', 24, 'reserved'], // documentation
  ['203.0.113.0', 24, 'reserved'], // documentation
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'], // future use, and 255.255.255.255 broadcast
];

function ipv4Number(address: string): number {
  return address.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

const IPV4_TABLE = IPV4_RANGES.map(([first, bits, kind]) => ({ first: ipv4Number(first), size: 2 ** (32 - bits), kind }));

function classifyIpv4(value: number): AddressKind {
  for (const range of IPV4_TABLE) {
    if (value >= range.first && value < range.first + range.size) return range.kind;
  }
  return 'public';
}

/** The eight 16-bit words of an IPv6 address (a trailing dotted IPv4 part included), or null. */
function ipv6Words(address: string): number[] | null {
  let text = address.split('%')[0];
  if (!net.isIPv6(text)) return null;
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = ipv4Number(tail);
    text = `${text.slice(0, lastColon + 1)}${Math.floor(v4 / 65536).toString(16)}:${(v4 % 65536).toString(16)}`;
  }
  const [head, rest] = text.includes('::') ? text.split('::') : [text, undefined];
  const headWords = head ? head.split(':') : [];
  const restWords = rest ? rest.split(':') : [];
  const zeros: string[] = rest === undefined ? [] : Array(8 - headWords.length - restWords.length).fill('0');
  return [...headWords, ...zeros, ...restWords].map((w) => Number.parseInt(w, 16));
}

function classifyIpv6(w: number[]): AddressKind {
  const embeddedIpv4 = (hi: number, lo: number) => classifyIpv4(hi * 65536 + lo);
  const zeroUpTo = (n: number) => w.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(8)) return 'unspecified';
  if (zeroUpTo(7) && w[7] === 1) return 'loopback';
  if (zeroUpTo(5) && w[5] === 0xffff) return embeddedIpv4(w[6], w[7]); // IPv4-mapped ::ffff:a.b.c.d
  if (zeroUpTo(6)) return embeddedIpv4(w[6], w[7]); // IPv4-compatible ::a.b.c.d (deprecated)
  if (w[0] === 0x64 && w[1] === 0xff9b && w.slice(2, 6).every((x) => x === 0)) return embeddedIpv4(w[6], w[7]); // NAT64
  if (w[0] === 0x2002) return embeddedIpv4(w[1], w[2]); // 6to4
  if ((w[0] & 0xffc0) === 0xfe80) return 'link_local';
  if ((w[0] & 0xffc0) === 0xfec0) return 'private'; // site-local (deprecated)
  if ((w[0] & 0xfe00) === 0xfc00) return 'unique_local';
  if ((w[0] & 0xff00) === 0xff00) return 'multicast';
  if (w[0] === 0x2001 && w[1] === 0x0db8) return 'reserved'; // documentation
  if (w[0] === 0x2001 && w[1] < 0x0200) return 'reserved'; // IETF protocol assignments, Teredo
  if ((w[0] & 0xe000) !== 0x2000) return 'reserved'; // outside global unicast 2000::/3 (100::/64 discard…)
  return 'public';
}

/** What kind of address this is; only `public` may be fetched from. Brackets around IPv6 are allowed. */
export function classifyAddress(address: string): AddressKind {
  const text = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  if (net.isIPv4(text)) return classifyIpv4(ipv4Number(text));
  const words = ipv6Words(text);
  return words ? classifyIpv6(words) : 'invalid';
}

export const isPublicAddress = (address: string) => classifyAddress(address) === 'public';

// ── Hosts ──────────────────────────────────────────────────────────────────────────────────────

/** Lower case, no trailing dot, IPv6 without brackets, international names in punycode. */
function normaliseHost(host: string): string {
  const bare = host.trim().toLowerCase().replace(/\.$/, '').replace(/^\[(.*)\]$/, '$1');
  return net.isIP(bare) ? bare : domainToASCII(bare) || bare;
}

/** True when the host is an allow-list entry, or a subdomain of a `*.suffix` entry. */
export function isHostAllowed(hostname: string, allowedHosts: readonly string[]): boolean {
  const host = normaliseHost(hostname);
  return allowedHosts.some((entry) => {
    if (entry.trim().startsWith('*.')) {
      const suffix = `.${normaliseHost(entry.trim().slice(2))}`;
      return suffix.length > 1 && host.endsWith(suffix) && host.length > suffix.length;
    }
    return normaliseHost(entry) === host;
  });
}

// ── Fetching ───────────────────────────────────────────────────────────────────────────────────

const defaultLookup: HostLookup = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

function checkedUrl(text: string | URL): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw mediaError(400, 'MEDIA_URL_INVALID', 'media_url không phải là địa chỉ hợp lệ.', 'media_url is not a valid URL.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw mediaError(400, 'MEDIA_URL_INVALID', 'media_url chỉ được dùng http hoặc https.', 'media_url must use http or https.');
  }
  if (url.username || url.password) {
    throw mediaError(400, 'MEDIA_URL_INVALID', 'media_url không được chứa tên đăng nhập hay mật khẩu.', 'media_url may not carry credentials.');
  }
  return url;
}

/** `promise`, or a rejection as soon as `signal` aborts (a slow resolver must not outlast the timeout). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** The address to connect to for `url`, once the host and every address it resolves to pass. */
async function vettedAddress(url: URL, options: MediaFetchOptions, signal: AbortSignal): Promise<ResolvedAddress> {
  if (!isHostAllowed(url.hostname, options.allowedHosts)) {
    throw mediaError(
      400,
      'MEDIA_HOST_NOT_ALLOWED',
      `Không được lấy ảnh từ ${url.hostname}; máy chủ này chưa được quản trị viên cho phép.`,
      `Fetching media from ${url.hostname} is not allowed.`,
    );
  }
  const literal = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: readonly ResolvedAddress[];
  if (net.isIP(literal)) addresses = [{ address: literal, family: net.isIPv6(literal) ? 6 : 4 }];
  else {
    try {
      addresses = await untilAborted((options.lookup ?? defaultLookup)(url.hostname), signal);
    } catch (err) {
      if (signal.aborted) throw err;
      addresses = [];
    }
    if (addresses.length === 0) {
      throw mediaError(502, 'MEDIA_FETCH_FAILED', `Không phân giải được tên miền ${url.hostname}.`, `Could not resolve ${url.hostname}.`);
    }
  }
  const refused = addresses.find((a) => {
    const kind = classifyAddress(a.address);
    return !(kind === 'public' || (kind === 'loopback' && options.allowLoopbackForTests === true));
  });
  if (refused) {
    throw mediaError(
      400,
      'MEDIA_ADDRESS_PRIVATE',
      `${url.hostname} trỏ tới địa chỉ nội bộ hoặc không công khai; không lấy ảnh từ đó.`,
      `${url.hostname} resolves to a private or non-public address.`,
    );
  }
  return addresses[0];
}

/** Answers every lookup of the connection with the vetted address, so it cannot be re-resolved. */
function pinnedLookup({ address, family }: ResolvedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    if (options?.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

function get(url: URL, address: ResolvedAddress, signal: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).request(url, {
      method: 'GET',
      agent: false,
      lookup: pinnedLookup(address),
      headers: { accept: 'image/*', 'user-agent': USER_AGENT },
      signal,
    });
    request.on('response', resolve);
    request.on('error', reject);
    request.end();
  });
}

const tooLarge = (maxBytes: number) =>
  mediaError(
    400,
    'MEDIA_TOO_LARGE',
    `Ảnh tại media_url lớn hơn ${maxBytes} byte cho phép.`,
    `The media at media_url is larger than the ${maxBytes} bytes allowed.`,
  );

async function readLimited(response: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.destroy();
    throw tooLarge(maxBytes);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      response.destroy();
      throw tooLarge(maxBytes);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, size);
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * The photo at `url`, checked hop by hop. Throws an AppError: MEDIA_URL_INVALID,
 * MEDIA_HOST_NOT_ALLOWED, MEDIA_ADDRESS_PRIVATE, MEDIA_TOO_LARGE (400) or MEDIA_FETCH_FAILED
 * (502: unresolvable, unreachable, timed out, too many redirects, or not a 200).
 */
export async function fetchMediaUrl(url: string, options: MediaFetchOptions): Promise<FetchedMedia> {
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  const failed = (vi: string, en: string) => mediaError(502, 'MEDIA_FETCH_FAILED', vi, en);
  try {
    let current = checkedUrl(url);
    for (let redirects = 0; ; redirects++) {
      const address = await vettedAddress(current, options, controller.signal);
      const response = await get(current, address, controller.signal);
      const status = response.statusCode ?? 0;
      if (REDIRECTS.has(status)) {
        response.resume();
        const location = response.headers.location;
        if (!location) throw failed('Máy chủ ảnh chuyển hướng mà không cho địa chỉ mới.', 'Redirect without a Location.');
        if (redirects >= maxRedirects) {
          throw failed(`media_url chuyển hướng quá ${maxRedirects} lần.`, `media_url redirected more than ${maxRedirects} times.`);
        }
        current = checkedUrl(new URL(location, current));
        continue;
      }
      if (status !== 200) {
        response.resume();
        throw failed(`Máy chủ ảnh trả lời mã ${status}.`, `The media server answered ${status}.`);
      }
      const data = await readLimited(response, options.maxBytes);
      return { data, contentType: response.headers['content-type'] ?? null, url: current.href };
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (controller.signal.aborted) {
      throw failed(`Lấy ảnh từ media_url quá ${options.timeoutMs} ms.`, `Fetching media_url took longer than ${options.timeoutMs} ms.`);
    }
    throw failed('Không lấy được ảnh từ media_url.', 'Could not fetch media_url.');
  } finally {
    clearTimeout(timer);
  }
}
