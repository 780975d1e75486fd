import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { AppError } from '../../../platform/errors/errors.js';
import {
  type AddressKind,
  classifyAddress,
  fetchMediaUrl,
  type HostLookup,
  isHostAllowed,
  isPublicAddress,
  type MediaFetchOptions,
  type ResolvedAddress,
} from './media.js';

/** The start of a JPEG file, enough to be recognised as one. */
const PHOTO = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(1020, 7)]);

/** A resolver that knows only the names given; anything else fails, so no test reaches real DNS. */
function fakeLookup(table: Record<string, ResolvedAddress[]>) {
  const calls: string[] = [];
  const lookup: HostLookup = async (hostname) => {
    calls.push(hostname);
    const found = table[hostname];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return found;
  };
  return { lookup, calls };
}

const LOOPBACK: ResolvedAddress[] = [{ address: '127.0.0.1', family: 4 }];
const INTRANET: ResolvedAddress[] = [{ address: '10.0.0.5', family: 4 }];

async function refusal(promise: Promise<unknown>): Promise<{ status: number; code: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof AppError, String(err));
    return { status: err.status, code: err.code, message: err.message };
  }
  assert.fail('expected the fetch to be refused');
}

describe('classifying addresses', () => {
  const CASES: Record<AddressKind, string[]> = {
    public: [
      '8.8.8.8',
      '14.225.0.1',
      '1.1.1.1',
      '9.255.255.255',
      '11.0.0.0',
      '100.63.255.255',
      '100.128.0.0',
      '126.255.255.255',
      '128.0.0.1',
      '169.253.255.255',
      '169.255.0.0',
      '172.15.255.255',
      '172.32.0.0',
      '192.167.255.255',
      '192.169.0.0',
      '223.255.255.255',
      '2606:4700:4700::1111',
      '2a00:1450:4001:80b::200e',
      '2402:800:6300::1',
      '::ffff:8.8.8.8',
      '::ffff:808:808',
      '64:ff9b::808:808',
      '2002:808:808::1',
    ],
    unspecified: ['0.0.0.0', '0.1.2.3', '0.255.255.255', '::', '0:0:0:0:0:0:0:0', '::ffff:0.0.0.0'],
    loopback: [
      '127.0.0.1',
      '127.0.0.0',
      '127.255.255.255',
      '127.1.2.3',
      '::1',
      '0:0:0:0:0:0:0:1',
      '[::1]',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '0:0:0:0:0:ffff:7f00:1',
      '::127.0.0.1',
      '64:ff9b::7f00:1',
      '2002:7f00:1::',
    ],
    private: [
      '10.0.0.0',
      '10.0.0.5',
      '10.255.255.255',
      '172.16.0.0',
      '172.20.1.1',
      '172.31.255.255',
      '192.168.0.0',
      '192.168.1.1',
      '192.168.255.255',
      '::ffff:10.0.0.5',
      '::ffff:a00:5',
      '::ffff:172.16.0.1',
      '::ffff:192.168.1.1',
      '64:ff9b::a00:5',
      '2002:a00:5::1',
      'fec0::1',
    ],
    link_local: ['169.254.0.0', '169.254.169.254', '169.254.255.255', 'fe80::1', 'fe80::1%eth0', 'febf:ffff::1', '::ffff:169.254.169.254', '::ffff:a9fe:a9fe'],
    unique_local: ['fc00::', 'fc00::1', 'fd12:3456:789a::1', 'fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
    cgnat: ['100.64.0.0', '100.64.0.1', '100.100.100.100', '100.127.255.255', '::ffff:100.64.0.1'],
    multicast: ['224.0.0.0', '224.0.0.1', '239.255.255.255', 'ff02::1', 'ff05::2', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', '::ffff:224.0.0.1'],
    reserved: [
      '192.0.0.8',
      '192.0.2.1',
      '192.88.99.1',
      '198.18.0.1',
      '198.19.255.255',
      '198.51.100.7',
      '203.0.113.9',
      '240.0.0.1',
      '255.255.255.255',
      '2001:db8::1',
      '2001::1',
      '100::1',
      'fe00::1',
      '4000::1',
      '::ffff:255.255.255.255',
    ],
    invalid: ['', 'localhost', 'anh.hue.gov.vn', '1.2.3', '256.1.1.1', '1.2.3.4.5', '::1::', 'gggg::1', '12345::', '[::1', '127.0.0.1 '],
  };

  for (const [kind, addresses] of Object.entries(CASES) as [AddressKind, string[]][]) {
    test(`${kind}: ${addresses.length} addresses`, () => {
      for (const address of addresses) {
        assert.equal(classifyAddress(address), kind, address);
        assert.equal(isPublicAddress(address), kind === 'public', address);
      }
    });
  }
});

describe('the host allow-list', () => {
  const allowed = ['anh.hue.gov.vn', '*.cdn.hue.gov.vn', 'ẢNH.huế.vn', '2402:800::1'];

  test('matches an exact entry whatever the case or a trailing dot', () => {
    assert.ok(isHostAllowed('anh.hue.gov.vn', allowed));
    assert.ok(isHostAllowed('ANH.Hue.Gov.VN.', allowed));
    assert.ok(!isHostAllowed('hue.gov.vn', allowed));
    assert.ok(!isHostAllowed('x.anh.hue.gov.vn', allowed), 'an exact entry does not admit subdomains');
  });

  test('*.suffix admits subdomains at any depth, not the suffix itself nor look-alikes', () => {
    assert.ok(isHostAllowed('a.cdn.hue.gov.vn', allowed));
    assert.ok(isHostAllowed('b.a.cdn.hue.gov.vn', allowed));
    assert.ok(!isHostAllowed('cdn.hue.gov.vn', allowed));
    assert.ok(!isHostAllowed('evilcdn.hue.gov.vn', allowed));
    assert.ok(!isHostAllowed('a.cdn.hue.gov.vn.evil.example', allowed));
  });

  test('compares international names in punycode and IPv6 without brackets', () => {
    assert.ok(isHostAllowed(new URL('http://ảnh.huế.vn/').hostname, allowed));
    assert.ok(isHostAllowed('[2402:800::1]', allowed));
    assert.ok(!isHostAllowed('anything', []));
  });
});

describe('refusing a media_url before any connection', () => {
  const base = { maxBytes: 1_000_000, timeoutMs: 2000 };

  test('a host that is not on the allow-list, without even resolving it', async () => {
    const { lookup, calls } = fakeLookup({ 'evil.example': LOOPBACK });
    const err = await refusal(fetchMediaUrl('http://evil.example/a.jpg', { ...base, allowedHosts: ['*.hue.gov.vn'], lookup }));
    assert.equal(err.code, 'MEDIA_HOST_NOT_ALLOWED');
    assert.equal(err.status, 400);
    assert.match(err.message, /evil\.example/);
    assert.deepEqual(calls, []);
  });

  test('loopback, link-local and metadata addresses, even when an administrator listed them', async () => {
    const cases: [string, string][] = [
      ['http://127.0.0.1/a.jpg', '127.0.0.1'],
      ['http://[::1]/', '::1'],
      ['http://169.254.169.254/latest/meta-data/', '169.254.169.254'],
      ['http://2130706433/a.jpg', '127.0.0.1'], // 127.0.0.1 written as one number
      ['http://0x7f.1/a.jpg', '127.0.0.1'],
      ['http://[::ffff:127.0.0.1]/a.jpg', '::ffff:7f00:1'],
      ['http://0.0.0.0/a.jpg', '0.0.0.0'],
    ];
    for (const [url, host] of cases) {
      assert.equal((await refusal(fetchMediaUrl(url, { ...base, allowedHosts: [] }))).code, 'MEDIA_HOST_NOT_ALLOWED', url);
      assert.equal((await refusal(fetchMediaUrl(url, { ...base, allowedHosts: [host] }))).code, 'MEDIA_ADDRESS_PRIVATE', url);
    }
  });

  test('an allowed host whose name resolves to a private address, or to any among public ones', async () => {
    const { lookup } = fakeLookup({
      'anh.hue.gov.vn': INTRANET,
      'mixed.hue.gov.vn': [{ address: '14.225.0.1', family: 4 }, ...INTRANET],
      'v6.hue.gov.vn': [{ address: 'fd00::5', family: 6 }],
    });
    for (const host of ['anh.hue.gov.vn', 'mixed.hue.gov.vn', 'v6.hue.gov.vn']) {
      const err = await refusal(fetchMediaUrl(`https://${host}/a.jpg`, { ...base, allowedHosts: ['*.hue.gov.vn'], lookup }));
      assert.equal(err.code, 'MEDIA_ADDRESS_PRIVATE', host);
    }
  });

  test('the test-only loopback switch lets loopback through and nothing else', async () => {
    const { lookup } = fakeLookup({ 'anh.hue.gov.vn': INTRANET });
    const options = { ...base, allowedHosts: ['anh.hue.gov.vn', '169.254.169.254'], lookup, allowLoopbackForTests: true };
    assert.equal((await refusal(fetchMediaUrl('http://anh.hue.gov.vn/a.jpg', options))).code, 'MEDIA_ADDRESS_PRIVATE');
    assert.equal((await refusal(fetchMediaUrl('http://169.254.169.254/', options))).code, 'MEDIA_ADDRESS_PRIVATE');
  });

  test('other schemes, credentials and nonsense', async () => {
    const options = { ...base, allowedHosts: ['anh.hue.gov.vn'] };
    for (const url of ['ftp://anh.hue.gov.vn/a.jpg', 'file:///etc/passwd', 'gopher://anh.hue.gov.vn/', 'http://user:pass@anh.hue.gov.vn/a.jpg', 'not a url']) {
      assert.equal((await refusal(fetchMediaUrl(url, options))).code, 'MEDIA_URL_INVALID', url);
    }
  });

  test('a name that does not resolve', async () => {
    const { lookup } = fakeLookup({});
    const err = await refusal(fetchMediaUrl('http://khong-co.hue.gov.vn/a.jpg', { ...base, allowedHosts: ['*.hue.gov.vn'], lookup }));
    assert.equal(err.code, 'MEDIA_FETCH_FAILED');
  });
});

describe('fetching from a local stand-in for the photo host', () => {
  let server: http.Server;
  let port: number;
  const hits: { path: string; host: string | undefined }[] = [];

  before(async () => {
    server = http.createServer((req, res) => {
      hits.push({ path: req.url ?? '', host: req.headers.host });
      const redirect = (location: string, status = 302) => res.writeHead(status, { location }).end();
      switch (req.url) {
        case '/photo.jpg':
          return res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': PHOTO.length }).end(PHOTO);
        case '/r1':
          return redirect(`http://cdn.hue.gov.vn:${port}/r2`);
        case '/r2':
          return redirect('/r3', 301);
        case '/r3':
          return redirect(`http://anh.hue.gov.vn:${port}/photo.jpg`, 307);
        case '/loop':
          return redirect('/loop');
        case '/to-intranet':
          return redirect(`http://intranet.hue.gov.vn:${port}/photo.jpg`);
        case '/to-elsewhere':
          return redirect(`http://evil.example:${port}/photo.jpg`);
        case '/to-metadata':
          return redirect('http://169.254.169.254/latest/meta-data/');
        case '/to-file':
          return redirect('file:///etc/passwd');
        case '/big-declared':
          return res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': 5000 }).end(Buffer.alloc(5000));
        case '/big-streamed': {
          res.writeHead(200, { 'content-type': 'image/jpeg' }); // chunked: no length to trust
          let sent = 0;
          const more = () => {
            if (sent >= 100_000 || res.destroyed) return res.end();
            sent += 1000;
            res.write(Buffer.alloc(1000), more);
          };
          return more();
        }
        case '/slow':
          return; // never answers
        default:
          return res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const { lookup, calls } = fakeLookup({
    'anh.hue.gov.vn': LOOPBACK,
    'cdn.hue.gov.vn': LOOPBACK,
    'intranet.hue.gov.vn': INTRANET,
    'evil.example': LOOPBACK,
  });
  const options = (overrides: Partial<MediaFetchOptions> = {}): MediaFetchOptions => ({
    allowedHosts: ['anh.hue.gov.vn', '*.hue.gov.vn'],
    maxBytes: 4096,
    timeoutMs: 2000,
    lookup,
    allowLoopbackForTests: true,
    ...overrides,
  });
  const url = (path: string, host = 'anh.hue.gov.vn') => `http://${host}:${port}${path}`;

  test('fetches an allowed photo, connecting to the address that was checked', async () => {
    calls.length = 0;
    hits.length = 0;
    const media = await fetchMediaUrl(url('/photo.jpg'), options());
    assert.deepEqual(media.data, PHOTO);
    assert.equal(media.contentType, 'image/jpeg');
    assert.equal(media.url, url('/photo.jpg'));
    // The name is known only to the injected resolver: the connection went to its vetted answer.
    assert.deepEqual(calls, ['anh.hue.gov.vn']);
    assert.deepEqual(hits, [{ path: '/photo.jpg', host: `anh.hue.gov.vn:${port}` }]);
  });

  test('without the test-only switch the same loopback host is refused', async () => {
    hits.length = 0;
    const err = await refusal(fetchMediaUrl(url('/photo.jpg'), options({ allowLoopbackForTests: undefined })));
    assert.equal(err.code, 'MEDIA_ADDRESS_PRIVATE');
    assert.equal(hits.length, 0);
  });

  test('a resolver that changes its answer after the check cannot redirect the connection', async () => {
    let answers = 0;
    const rebinding: HostLookup = async () => (answers++ === 0 ? LOOPBACK : INTRANET);
    const media = await fetchMediaUrl(url('/photo.jpg'), options({ lookup: rebinding }));
    assert.deepEqual(media.data, PHOTO);
    assert.equal(answers, 1, 'resolved once, and connected to that answer');
  });

  test('follows three redirects, checking each hop', async () => {
    calls.length = 0;
    hits.length = 0;
    const media = await fetchMediaUrl(url('/r1'), options());
    assert.deepEqual(media.data, PHOTO);
    assert.equal(media.url, url('/photo.jpg'));
    assert.deepEqual(
      hits.map((h) => h.path),
      ['/r1', '/r2', '/r3', '/photo.jpg'],
    );
    assert.deepEqual(calls, ['anh.hue.gov.vn', 'cdn.hue.gov.vn', 'cdn.hue.gov.vn', 'anh.hue.gov.vn']);
  });

  test('refuses a fourth redirect', async () => {
    const err = await refusal(fetchMediaUrl(url('/loop'), options()));
    assert.equal(err.code, 'MEDIA_FETCH_FAILED');
    assert.match(err.message, /more than 3 times/);
    assert.equal((await refusal(fetchMediaUrl(url('/r1'), options({ maxRedirects: 2 })))).code, 'MEDIA_FETCH_FAILED');
  });

  test('refuses a redirect to a private address, a host not allowed, a metadata address or another scheme', async () => {
    hits.length = 0;
    assert.equal((await refusal(fetchMediaUrl(url('/to-intranet'), options()))).code, 'MEDIA_ADDRESS_PRIVATE');
    assert.equal((await refusal(fetchMediaUrl(url('/to-elsewhere'), options()))).code, 'MEDIA_HOST_NOT_ALLOWED');
    assert.equal(
      (await refusal(fetchMediaUrl(url('/to-metadata'), options({ allowedHosts: ['anh.hue.gov.vn', '169.254.169.254'] })))).code,
      'MEDIA_ADDRESS_PRIVATE',
    );
    assert.equal((await refusal(fetchMediaUrl(url('/to-file'), options()))).code, 'MEDIA_URL_INVALID');
    assert.deepEqual(
      hits.map((h) => h.path),
      ['/to-intranet', '/to-elsewhere', '/to-metadata', '/to-file'],
      'no refused hop was requested',
    );
  });

  test('refuses a body over the limit, declared or streamed', async () => {
    const declared = await refusal(fetchMediaUrl(url('/big-declared'), options()));
    assert.equal(declared.code, 'MEDIA_TOO_LARGE');
    assert.equal(declared.status, 400);
    assert.equal((await refusal(fetchMediaUrl(url('/big-streamed'), options()))).code, 'MEDIA_TOO_LARGE');
  });

  test('gives up after the timeout', async () => {
    const started = Date.now();
    const err = await refusal(fetchMediaUrl(url('/slow'), options({ timeoutMs: 150 })));
    assert.equal(err.code, 'MEDIA_FETCH_FAILED');
    assert.match(err.message, /150 ms/);
    assert.ok(Date.now() - started < 1500);
  });

  test('a status other than 200 is a failed fetch', async () => {
    const err = await refusal(fetchMediaUrl(url('/missing.jpg'), options()));
    assert.equal(err.code, 'MEDIA_FETCH_FAILED');
    assert.equal(err.status, 502);
    assert.match(err.message, /404/);
  });
});
