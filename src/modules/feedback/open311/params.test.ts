import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError } from '../../../platform/errors/errors.js';
import { type Open311Problem, open311ErrorsOf } from './errors.js';
import type { Open311ServiceDefinition } from './format.js';
import {
  checkAttributes,
  type NewServiceRequest,
  parseJurisdictionId,
  parseNewServiceRequest,
  parseOpen311Datetime,
  parseRequestsQuery,
  parseResourcePath,
  splitFormat,
} from './params.js';

const NOW = new Date('2026-11-26T14:05:00Z');
const DAY_MS = 86_400_000;

/** Runs `fn`, expecting an AppError; returns its status and the codes of its problems. */
function failure(fn: () => unknown): { status: number; codes: string[]; problems: Open311Problem[] } {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof AppError, String(err));
    const problems = (err.details as { problems: Open311Problem[] }).problems;
    return { status: err.status, codes: problems.map((p) => p.code), problems };
  }
  assert.fail('expected an error');
}

/** A POST body a FixMyStreet-like client would send, with the fields of a pothole report. */
function buildPostBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    api_key: 'dh_live_abc123',
    service_code: 'o-ga',
    lat: '16.4637',
    long: '107.5909',
    description: 'Ổ gà lớn trước số 12 Lê Lợi',
    ...overrides,
  };
}

const post = (overrides: Record<string, unknown> = {}): NewServiceRequest => parseNewServiceRequest(buildPostBody(overrides));

describe('format extensions and resource paths', () => {
  test('the extension chooses the format', () => {
    assert.deepEqual(splitFormat('services.json'), { name: 'services', format: 'json' });
    assert.deepEqual(splitFormat('services.xml'), { name: 'services', format: 'xml' });
    assert.deepEqual(splitFormat('requests.XML'), { name: 'requests', format: 'xml' });
    assert.deepEqual(splitFormat('v1.2.json'), { name: 'v1.2', format: 'json' });
  });

  test('any other extension, or none, is a resource that does not exist', () => {
    for (const file of ['services.html', 'services', '.json', 'services.json.bak']) {
      const { status, codes } = failure(() => splitFormat(file));
      assert.equal(status, 404, file);
      assert.deepEqual(codes, ['OPEN311_RESOURCE_NOT_FOUND'], file);
    }
  });

  test('an id that cannot exist is a 404 of its kind', () => {
    assert.deepEqual(parseResourcePath('PA-2026-000123.json', 'request'), { id: 'PA-2026-000123', format: 'json' });
    assert.deepEqual(failure(() => parseResourcePath('<x>.xml', 'service')).codes, ['OPEN311_SERVICE_NOT_FOUND']);
    assert.deepEqual(failure(() => parseResourcePath('../etc.xml', 'request')).codes, ['OPEN311_REQUEST_NOT_FOUND']);
    assert.deepEqual(failure(() => parseResourcePath('a b.json', 'token')).codes, ['OPEN311_TOKEN_NOT_FOUND']);
  });
});

describe('jurisdiction_id', () => {
  test('an empty parameter counts as absent', () => {
    assert.equal(parseJurisdictionId({ jurisdiction_id: '' }), null);
    assert.equal(parseJurisdictionId({}), null);
    assert.equal(parseJurisdictionId(new URLSearchParams('jurisdiction_id=hue.gov.vn')), 'hue.gov.vn');
  });

  test('control characters are refused', () => {
    assert.deepEqual(failure(() => parseJurisdictionId({ jurisdiction_id: 'hue\u0000' })).codes, ['OPEN311_CONTROL_CHARACTER']);
  });
});

describe('W3C datetimes', () => {
  test('need an offset, or are a bare date in Vietnam', () => {
    assert.equal(parseOpen311Datetime('2026-11-26T09:30:00+07:00')?.toISOString(), '2026-11-26T02:30:00.000Z');
    assert.equal(parseOpen311Datetime('2026-11-26T02:30:00Z')?.toISOString(), '2026-11-26T02:30:00.000Z');
    assert.equal(parseOpen311Datetime('2026-11-26T02:30Z')?.toISOString(), '2026-11-26T02:30:00.000Z');
    assert.equal(parseOpen311Datetime('2026-11-26T02:30:00.250-05:00')?.toISOString(), '2026-11-26T07:30:00.250Z');
    assert.equal(parseOpen311Datetime('2026-11-26')?.toISOString(), '2026-11-25T17:00:00.000Z');
    assert.equal(parseOpen311Datetime('2026-11-26', true)?.toISOString(), '2026-11-26T16:59:59.999Z');
  });

  test('read a space before the offset as the + an unencoded query string lost', () => {
    assert.equal(parseOpen311Datetime('2026-11-26T09:30:00 07:00')?.toISOString(), '2026-11-26T02:30:00.000Z');
  });

  test('refuse anything else', () => {
    for (const text of ['2026-11-26T09:30:00', '2026-02-30T00:00:00Z', '2026-11-26T24:00:00Z', '2026-11-26T09:30:00+15:00', '26/11/2026', 'yesterday', '0099-01-01T00:00:00Z']) {
      assert.equal(parseOpen311Datetime(text), null, text);
    }
  });
});

describe('GET requests filters', () => {
  test('without filters: every service and status, the last 90 days up to now', () => {
    assert.deepEqual(parseRequestsQuery({}, NOW), {
      by: 'filter',
      jurisdictionId: null,
      serviceCodes: [],
      start: new Date(NOW.getTime() - 90 * DAY_MS),
      end: NOW,
      statuses: [],
    });
  });

  test('service_request_id overrides every other filter, even a malformed one', () => {
    assert.deepEqual(
      parseRequestsQuery({ service_request_id: 'PA-1, PA-2,PA-1,', status: 'pending', start_date: 'x', jurisdiction_id: 'hue' }, NOW),
      { by: 'id', jurisdictionId: 'hue', serviceRequestIds: ['PA-1', 'PA-2'] },
    );
  });

  test('a malformed service_request_id is a 400', () => {
    const { status, codes } = failure(() => parseRequestsQuery({ service_request_id: 'PA-1,<script>' }, NOW));
    assert.equal(status, 400);
    assert.deepEqual(codes, ['OPEN311_INVALID_FORMAT']);
    const tooMany = Array.from({ length: 1001 }, (_, i) => `PA-${i}`).join(',');
    assert.deepEqual(failure(() => parseRequestsQuery({ service_request_id: tooMany }, NOW)).codes, ['OPEN311_TOO_MANY_IDS']);
  });

  test('service_code and status take comma lists, and repeated keys', () => {
    const query = parseRequestsQuery({ service_code: ['o-ga,rac', 'den-duong'], status: 'OPEN,closed,open' }, NOW);
    assert.equal(query.by, 'filter');
    if (query.by !== 'filter') return;
    assert.deepEqual(query.serviceCodes, ['o-ga', 'rac', 'den-duong']);
    assert.deepEqual(query.statuses, ['open', 'closed']);
  });

  test('a status other than open or closed is a 400', () => {
    assert.deepEqual(failure(() => parseRequestsQuery({ status: 'open,in_progress' }, NOW)).codes, ['OPEN311_INVALID_STATUS']);
  });

  test('a span of exactly 90 days is accepted', () => {
    const query = parseRequestsQuery(
      new URLSearchParams({ start_date: '2026-08-28T00:00:00+07:00', end_date: '2026-11-26T00:00:00+07:00' }),
      NOW,
    );
    assert.equal(query.by === 'filter' && query.end.getTime() - query.start.getTime(), 90 * DAY_MS);
  });

  test('a span over 90 days is a 400', () => {
    const { status, codes, problems } = failure(() =>
      parseRequestsQuery({ start_date: '2026-08-28T00:00:00+07:00', end_date: '2026-11-26T00:00:01+07:00' }, NOW),
    );
    assert.equal(status, 400);
    assert.deepEqual(codes, ['OPEN311_DATE_SPAN_TOO_LONG']);
    assert.match(problems[0].description, /không được quá 90 ngày.*may not span more than 90 days/);
  });

  test('end_date before start_date is a 400', () => {
    assert.deepEqual(
      failure(() => parseRequestsQuery({ start_date: '2026-11-26T00:00:00Z', end_date: '2026-11-01T00:00:00Z' }, NOW)).codes,
      ['OPEN311_DATE_RANGE_REVERSED'],
    );
  });

  test('one date alone opens a 90-day window from it', () => {
    const fromStart = parseRequestsQuery({ start_date: '2026-01-01' }, NOW);
    assert.ok(fromStart.by === 'filter');
    assert.equal(fromStart.start.toISOString(), '2025-12-31T17:00:00.000Z');
    assert.equal(fromStart.end.getTime() - fromStart.start.getTime(), 90 * DAY_MS);
    const toEnd = parseRequestsQuery({ end_date: '2026-01-01T00:00:00Z' }, NOW);
    assert.ok(toEnd.by === 'filter');
    assert.equal(toEnd.start.getTime(), toEnd.end.getTime() - 90 * DAY_MS);
  });

  test('a datetime without offset, or given twice, is a 400', () => {
    assert.deepEqual(failure(() => parseRequestsQuery({ start_date: '2026-11-01T00:00:00' }, NOW)).codes, ['OPEN311_INVALID_DATETIME']);
    assert.deepEqual(
      failure(() => parseRequestsQuery({ start_date: ['2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z'] }, NOW)).codes,
      ['OPEN311_REPEATED_PARAMETER'],
    );
  });

  test('every problem is reported at once, each as an Open311 error', () => {
    const thrown = (() => {
      try {
        parseRequestsQuery({ status: 'pending', end_date: 'tomorrow' }, NOW);
      } catch (err) {
        return err;
      }
    })();
    const { status, errors } = open311ErrorsOf(thrown);
    assert.equal(status, 400);
    assert.equal(errors.length, 2);
    assert.ok(errors.every((e) => e.code === 400));
    assert.match(errors[0].description, /status "pending" không hợp lệ.*Unknown status "pending"/);
  });
});

describe('POST requests fields', () => {
  test('a report located by coordinates', () => {
    const request = post({ email: 'dan@example.com', phone: '+84 234 3822 123', first_name: 'Lan', last_name: 'Nguyễn' });
    assert.equal(request.apiKey, 'dh_live_abc123');
    assert.equal(request.serviceCode, 'o-ga');
    assert.deepEqual(request.location, { lat: 16.4637, long: 107.5909 });
    assert.equal(request.addressString, null);
    assert.equal(request.email, 'dan@example.com');
    assert.equal(request.phone, '+84 234 3822 123');
    assert.equal(request.lastName, 'Nguyễn');
  });

  test('a report located by address_string or address_id alone', () => {
    const byAddress = post({ lat: undefined, long: '', address_string: '12 Lê Lợi, Huế' });
    assert.equal(byAddress.location, null);
    assert.equal(byAddress.addressString, '12 Lê Lợi, Huế');
    assert.equal(post({ lat: undefined, long: undefined, address_id: 'DC-4412' }).addressId, 'DC-4412');
  });

  test('a missing api_key is a 403, answered alone before anything else', () => {
    assert.deepEqual(failure(() => parseNewServiceRequest({ service_code: '', description: 'x'.repeat(5000) })).codes, [
      'OPEN311_API_KEY_MISSING',
    ]);
    const { status } = failure(() => post({ api_key: '  ' }));
    assert.equal(status, 403);
  });

  test('a missing service_code or location is a 400', () => {
    assert.deepEqual(failure(() => post({ service_code: undefined })).codes, ['OPEN311_MISSING_PARAMETER']);
    assert.deepEqual(failure(() => post({ lat: undefined, long: undefined })).codes, ['OPEN311_MISSING_LOCATION']);
    assert.deepEqual(failure(() => post({ long: undefined })).codes, ['OPEN311_INCOMPLETE_LOCATION']);
  });

  test('coordinates out of range or not plain decimals are a 400', () => {
    for (const [lat, long] of [['91', '107'], ['16', '-180.5'], ['16,46', '107'], ['NaN', '107'], ['1e1', '107'], ['0x10', '107'], ['16', 'Infinity']]) {
      assert.deepEqual(failure(() => post({ lat, long })).codes, ['OPEN311_INVALID_COORDINATE'], `${lat} ${long}`);
    }
    assert.deepEqual(post({ lat: '-90', long: '180' }).location, { lat: -90, long: 180 });
  });

  test('a description of 4,000 characters is accepted, 4,001 is a 400', () => {
    // Decomposed "ổ" (o + two combining marks) counts as one character once composed.
    assert.equal(post({ description: 'o\u0302\u0309'.repeat(4000) }).description?.length, 4000);
    const { codes, problems } = failure(() => post({ description: 'a'.repeat(4001) }));
    assert.deepEqual(codes, ['OPEN311_TOO_LONG']);
    assert.match(problems[0].description, /description dài quá 4000 ký tự.*longer than 4000 characters/);
    // Characters beyond the BMP are two UTF-16 units but one character; a lone surrogate is one too.
    assert.equal(post({ description: '🚧'.repeat(4000) }).description?.length, 8000);
    assert.deepEqual(failure(() => post({ description: `${'🚧'.repeat(3999)}ab` })).codes, ['OPEN311_TOO_LONG']);
    assert.equal(post({ description: `${'🚧'.repeat(3998)}\ud800a` }).description?.length, 7998);
  });

  test('HTML and script are kept as text; line breaks are allowed in the description only', () => {
    assert.equal(post({ description: '<script>alert(1)</script>\nline 2' }).description, '<script>alert(1)</script>\nline 2');
    assert.equal(post({ first_name: '<b>Lan</b>' }).firstName, '<b>Lan</b>');
    assert.deepEqual(failure(() => post({ first_name: 'Lan\nX' })).codes, ['OPEN311_CONTROL_CHARACTER']);
    assert.deepEqual(failure(() => post({ description: 'nul\u0000byte' })).codes, ['OPEN311_CONTROL_CHARACTER']);
  });

  test('email, phone and media_url are checked', () => {
    assert.deepEqual(failure(() => post({ email: 'not-an-email' })).codes, ['OPEN311_INVALID_FORMAT']);
    assert.deepEqual(failure(() => post({ phone: 'call me' })).codes, ['OPEN311_INVALID_FORMAT']);
    for (const url of ['javascript:alert(1)', 'ftp://anh.hue.gov.vn/a.jpg', 'file:///etc/passwd', 'not a url']) {
      assert.deepEqual(failure(() => post({ media_url: url })).codes, ['OPEN311_INVALID_MEDIA_URL'], url);
    }
    assert.equal(post({ media_url: 'https://anh.hue.gov.vn/a.jpg' }).mediaUrl, 'https://anh.hue.gov.vn/a.jpg');
  });

  test('attribute[CODE] and attribute[CODE][] are collected, flat or nested by the body parser', () => {
    const flat = parseNewServiceRequest(
      new URLSearchParams([
        ...Object.entries(buildPostBody()).map(([k, v]) => [k, String(v)]),
        ['attribute[KICH_THUOC]', 'lon'],
        ['attribute[LOAI][]', 'nhua'],
        ['attribute[LOAI][]', 'be-tong'],
        ['attribute[__proto__]', 'x'],
      ]),
    );
    assert.deepEqual([...flat.attributes], [
      ['KICH_THUOC', ['lon']],
      ['LOAI', ['nhua', 'be-tong']],
      ['__proto__', ['x']],
    ]);
    const nested = post({ attribute: { KICH_THUOC: 'lon', LOAI: ['nhua', 'be-tong'] } });
    assert.deepEqual([...nested.attributes], [
      ['KICH_THUOC', ['lon']],
      ['LOAI', ['nhua', 'be-tong']],
    ]);
    assert.deepEqual(failure(() => post({ 'attribute[]': 'x' })).codes, ['OPEN311_INVALID_ATTRIBUTE']);
  });

  test('a value that is not text is a 400', () => {
    assert.deepEqual(failure(() => post({ description: { $ne: 1 } })).codes, ['OPEN311_INVALID_PARAMETER']);
  });

  test('every problem is listed at once', () => {
    const { status, codes } = failure(() =>
      post({ service_code: undefined, lat: '200', email: 'x', description: 'a'.repeat(4001) }),
    );
    assert.equal(status, 400);
    assert.deepEqual(codes.sort(), ['OPEN311_INVALID_COORDINATE', 'OPEN311_INVALID_FORMAT', 'OPEN311_MISSING_PARAMETER', 'OPEN311_TOO_LONG']);
  });
});

describe('attributes against the service definition', () => {
  const DEFINITION: Open311ServiceDefinition = {
    service_code: 'o-ga',
    attributes: [
      {
        variable: true,
        code: 'KICH_THUOC',
        datatype: 'singlevaluelist',
        required: true,
        datatype_description: null,
        order: 1,
        description: 'Kích thước',
        values: [
          { key: 'nho', name: 'Nhỏ' },
          { key: 'lon', name: 'Lớn' },
        ],
      },
      {
        variable: true,
        code: 'LOAI',
        datatype: 'multivaluelist',
        required: false,
        datatype_description: null,
        order: 2,
        description: 'Loại mặt đường',
        values: [
          { key: 'nhua', name: 'Nhựa' },
          { key: 'be-tong', name: 'Bê tông' },
        ],
      },
      { variable: true, code: 'SO_O', datatype: 'number', required: false, datatype_description: null, order: 3, description: 'Số ổ gà' },
      { variable: true, code: 'LUC', datatype: 'datetime', required: false, datatype_description: null, order: 4, description: 'Phát hiện lúc' },
      { variable: true, code: 'GHI_CHU', datatype: 'string', required: false, datatype_description: null, order: 5, description: 'Ghi chú' },
      { variable: false, code: 'LUU_Y', datatype: 'text', required: false, datatype_description: null, order: 6, description: 'Lưu ý an toàn' },
    ],
  };
  const given = (entries: Record<string, string[]>) => new Map(Object.entries(entries));

  test('valid answers come back typed: lists as arrays, datetimes in +07:00', () => {
    assert.deepEqual(
      checkAttributes(DEFINITION, given({ KICH_THUOC: ['lon'], LOAI: ['nhua', 'be-tong', 'nhua'], SO_O: ['3'], LUC: ['2026-11-26T02:30:00Z'] })),
      { KICH_THUOC: 'lon', LOAI: ['nhua', 'be-tong'], SO_O: '3', LUC: '2026-11-26T09:30:00+07:00' },
    );
  });

  test('a required attribute left out is a 400', () => {
    const { status, codes, problems } = failure(() => checkAttributes(DEFINITION, given({})));
    assert.equal(status, 400);
    assert.deepEqual(codes, ['OPEN311_ATTRIBUTE_REQUIRED']);
    assert.match(problems[0].description, /Thiếu attribute\[KICH_THUOC\] \(Kích thước\)/);
  });

  test('values outside the list, several values for one, bad numbers and datetimes are 400s', () => {
    const { codes } = failure(() =>
      checkAttributes(
        DEFINITION,
        given({ KICH_THUOC: ['nho', 'lon'], LOAI: ['nhua', 'go'], SO_O: ['ba'], LUC: ['hôm qua'], GHI_CHU: ['a\nb'] }),
      ),
    );
    assert.deepEqual(codes, Array(5).fill('OPEN311_ATTRIBUTE_INVALID'));
    assert.deepEqual(failure(() => checkAttributes(DEFINITION, given({ KICH_THUOC: ['rat-lon'] }))).codes, ['OPEN311_ATTRIBUTE_INVALID']);
  });

  test('an attribute the service does not ask for is a 400, informational ones included', () => {
    assert.deepEqual(failure(() => checkAttributes(DEFINITION, given({ KICH_THUOC: ['lon'], MAU: ['do'], LUU_Y: ['x'] }))).codes, [
      'OPEN311_ATTRIBUTE_UNKNOWN',
      'OPEN311_ATTRIBUTE_UNKNOWN',
    ]);
  });
});
