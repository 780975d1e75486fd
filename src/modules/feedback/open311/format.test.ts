import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { open311ErrorsOf, unknownService } from './errors.js';
import {
  formatCreatedRequests,
  formatDiscovery,
  formatErrors,
  formatJsonText,
  formatOpen311Datetime,
  formatServiceDefinition,
  formatServiceRequests,
  formatServices,
  formatTokens,
  type Open311Body,
  type Open311Discovery,
  type Open311Format,
  type Open311Service,
  type Open311ServiceDefinition,
  type Open311ServiceRequest,
} from './format.js';
import { childrenNamed, childText, parseXmlDocument, type XmlNode } from './xml-check.js';
import { element, list, type XmlScalar, writeXmlDocument } from './xml.js';

/** The service requests as the generic writer makes them: a tree of elements, one per field. */
const elementList = (objects: Record<string, XmlScalar>[]) =>
  list('service_requests', 'request', objects, (o) => Object.entries(o).map(([name, value]) => element(name, value)));

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
const HOSTILE = `<script>alert("xss")</script> & 'quotes' \u0000\u0007 ]]>`;
/** What XML can carry of HOSTILE: the two control characters become U+FFFD. */
const HOSTILE_IN_XML = `<script>alert("xss")</script> & 'quotes' \uFFFD\uFFFD ]]>`;

const vn = (local: string) => new Date(`${local}+07:00`);

function buildServiceRequest(overrides: Partial<Open311ServiceRequest> = {}): Open311ServiceRequest {
  return {
    service_request_id: 'PA-2026-000123',
    status: 'open',
    status_notes: 'Đang xử lý',
    service_name: 'Ổ gà, hư hỏng mặt đường',
    service_code: 'o-ga',
    description: 'Ổ gà lớn trước số 12 Lê Lợi',
    agency_responsible: 'UBND phường Thuận Hóa',
    service_notice: null,
    requested_datetime: vn('2026-11-26T21:05:00'),
    updated_datetime: vn('2026-11-27T08:00:00'),
    expected_datetime: vn('2026-12-02T23:59:59.999'),
    address: '12 Lê Lợi, Huế',
    address_id: null,
    zipcode: null,
    lat: 16.4637,
    long: 107.5909,
    media_url: 'https://anh.hue.gov.vn/pa/123.jpg',
    ...overrides,
  };
}

function buildService(overrides: Partial<Open311Service> = {}): Open311Service {
  return {
    service_code: 'o-ga',
    service_name: 'Ổ gà, hư hỏng mặt đường',
    description: 'Mặt đường bị hư hỏng, sụt lún',
    metadata: true,
    type: 'realtime',
    keywords: ['đường', 'ổ gà'],
    group: 'Giao thông',
    ...overrides,
  };
}

const DEFINITION: Open311ServiceDefinition = {
  service_code: 'o-ga',
  attributes: [
    {
      variable: true,
      code: 'KICH_THUOC',
      datatype: 'singlevaluelist',
      required: true,
      datatype_description: null,
      order: 2,
      description: 'Kích thước ổ gà',
      values: [
        { key: 'nho', name: 'Nhỏ (< 30 cm)' },
        { key: 'lon', name: 'Lớn' },
      ],
    },
    {
      variable: true,
      code: 'GHI_CHU',
      datatype: 'string',
      required: false,
      datatype_description: 'Ghi chú thêm',
      order: 1,
      description: 'Ghi chú',
    },
  ],
};

const DISCOVERY: Open311Discovery = {
  changeset: vn('2026-11-01T08:00:00'),
  contact: 'Trung tâm Giám sát, điều hành đô thị thông minh tỉnh Thừa Thiên Huế — 0234 1022',
  key_service: 'Liên hệ quản trị viên để được cấp api_key',
  endpoints: [
    {
      url: 'https://dieuhanh.hue.gov.vn/open311/v2',
      changeset: vn('2026-11-01T08:00:00'),
      type: 'production',
      formats: ['text/xml', 'application/json'],
    },
  ],
};

/** The text of a document, whether written as text or as its UTF-8 bytes. */
const textOf = (out: Open311Body) => out.body.toString();

/** Parses XML output, checking its content type on the way; throws unless well-formed. */
function xmlOf(out: Open311Body): XmlNode {
  assert.equal(out.contentType, 'text/xml; charset=utf-8');
  assert.ok(textOf(out).startsWith(DECLARATION));
  return parseXmlDocument(textOf(out));
}

function jsonOf(out: Open311Body): unknown {
  assert.equal(out.contentType, 'application/json; charset=utf-8');
  return JSON.parse(textOf(out));
}

describe('Open311 datetimes', () => {
  test('are written in Vietnam time with the +07:00 offset, to the second', () => {
    assert.equal(formatOpen311Datetime(new Date('2026-11-26T14:05:00.789Z')), '2026-11-26T21:05:00+07:00');
    assert.equal(formatOpen311Datetime(new Date('2026-12-31T17:30:00Z')), '2027-01-01T00:30:00+07:00');
  });

  test('can be written with another offset', () => {
    assert.equal(formatOpen311Datetime(new Date('2026-11-26T14:05:00Z'), 0), '2026-11-26T14:05:00+00:00');
    assert.equal(formatOpen311Datetime(new Date('2026-11-26T14:05:00Z'), -(5 * 60 + 30)), '2026-11-26T08:35:00-05:30');
  });

  test('refuse an invalid Date', () => {
    assert.throws(() => formatOpen311Datetime(new Date('nonsense')), RangeError);
  });

  test('write what toISOString writes to the second, for any time a Date holds', () => {
    const reference = (at: Date, offset: number, suffix: string) => `${new Date(at.getTime() + offset * 60_000).toISOString().slice(0, 19)}${suffix}`;
    const times = [
      0, -1, -999, -1000, -1001, 999, 1000, 86_399_999, -86_400_001,
      Date.UTC(2000, 1, 29, 23, 59, 59, 999), Date.UTC(1900, 1, 28, 16, 59, 59), Date.UTC(2100, 1, 28, 17), Date.UTC(2024, 11, 31, 16, 59, 59, 500),
      -62_167_219_200_000 - 25_200_000, -62_167_219_200_001 - 25_200_000, 253_402_300_799_999 - 25_200_000, 253_402_300_800_000 - 25_200_000,
      -8.64e15 + 25_200_000, 8.64e15 - 25_200_000,
    ];
    // Spread over ±300,000 years, and densely around today: a fixed sequence, so a failure repeats.
    let seed = 20_261_126;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    for (let i = 0; i < 20_000; i++) times.push(Math.floor((next() - 0.5) * 2 * 9.4e15 * 1e-3) * 1000 + Math.floor(next() * 1000));
    for (let i = 0; i < 20_000; i++) times.push(Date.UTC(2026, 0, 1) + Math.floor((next() - 0.5) * 4e11));
    for (const ms of times) {
      if (Math.abs(ms) > 8.64e15 - 25_200_000) continue;
      const at = new Date(ms);
      assert.equal(formatOpen311Datetime(at), reference(at, 420, '+07:00'), at.toISOString());
      assert.equal(formatOpen311Datetime(at, -330), reference(at, -330, '-05:30'), at.toISOString());
    }
  });
});

describe('discovery', () => {
  test('XML lists the endpoint with the specification and its formats', () => {
    assert.equal(
      formatDiscovery('xml', DISCOVERY).body,
      DECLARATION +
        '<discovery><changeset>2026-11-01T08:00:00+07:00</changeset>' +
        '<contact>Trung tâm Giám sát, điều hành đô thị thông minh tỉnh Thừa Thiên Huế — 0234 1022</contact>' +
        '<key_service>Liên hệ quản trị viên để được cấp api_key</key_service>' +
        '<endpoints><endpoint><specification>http://wiki.open311.org/GeoReport_v2</specification>' +
        '<url>https://dieuhanh.hue.gov.vn/open311/v2</url><changeset>2026-11-01T08:00:00+07:00</changeset>' +
        '<type>production</type><formats><format>text/xml</format><format>application/json</format></formats>' +
        '</endpoint></endpoints></discovery>',
    );
  });

  test('JSON mirrors it with endpoints and formats as arrays', () => {
    assert.deepEqual(jsonOf(formatDiscovery('json', DISCOVERY)), {
      changeset: '2026-11-01T08:00:00+07:00',
      contact: DISCOVERY.contact,
      key_service: DISCOVERY.key_service,
      endpoints: [
        {
          specification: 'http://wiki.open311.org/GeoReport_v2',
          url: 'https://dieuhanh.hue.gov.vn/open311/v2',
          changeset: '2026-11-01T08:00:00+07:00',
          type: 'production',
          formats: ['text/xml', 'application/json'],
        },
      ],
    });
  });
});

describe('services', () => {
  test('XML writes each service with keywords comma-separated and an empty group when there is none', () => {
    const root = xmlOf(formatServices('xml', [buildService(), buildService({ service_code: 'rac', metadata: false, group: null, keywords: [] })]));
    assert.equal(root.name, 'services');
    const [first, second] = childrenNamed(root, 'service');
    assert.deepEqual(
      first.children.map((c) => c.name),
      ['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group'],
    );
    assert.equal(childText(first, 'metadata'), 'true');
    assert.equal(childText(first, 'keywords'), 'đường, ổ gà');
    assert.equal(childText(second, 'metadata'), 'false');
    assert.equal(childText(second, 'group'), '');
  });

  test('JSON is a bare array with booleans and nulls', () => {
    assert.deepEqual(jsonOf(formatServices('json', [buildService({ group: null })])), [
      {
        service_code: 'o-ga',
        service_name: 'Ổ gà, hư hỏng mặt đường',
        description: 'Mặt đường bị hư hỏng, sụt lún',
        metadata: true,
        type: 'realtime',
        keywords: 'đường, ổ gà',
        group: null,
      },
    ]);
  });

  test('an empty list is an empty document, not an error', () => {
    assert.equal(formatServices('xml', []).body, `${DECLARATION}<services/>`);
    assert.equal(formatServices('json', []).body, '[]');
  });
});

describe('service definitions', () => {
  test('XML orders attributes by `order` and writes values only for list datatypes', () => {
    assert.equal(
      formatServiceDefinition('xml', DEFINITION).body,
      DECLARATION +
        '<service_definition><service_code>o-ga</service_code><attributes>' +
        '<attribute><variable>true</variable><code>GHI_CHU</code><datatype>string</datatype><required>false</required>' +
        '<datatype_description>Ghi chú thêm</datatype_description><order>1</order><description>Ghi chú</description></attribute>' +
        '<attribute><variable>true</variable><code>KICH_THUOC</code><datatype>singlevaluelist</datatype><required>true</required>' +
        '<datatype_description/><order>2</order><description>Kích thước ổ gà</description>' +
        '<values><value><key>nho</key><name>Nhỏ (&lt; 30 cm)</name></value><value><key>lon</key><name>Lớn</name></value></values>' +
        '</attribute></attributes></service_definition>',
    );
  });

  test('JSON carries the same attributes as an array', () => {
    const json = jsonOf(formatServiceDefinition('json', DEFINITION)) as { service_code: string; attributes: Record<string, unknown>[] };
    assert.equal(json.service_code, 'o-ga');
    assert.deepEqual(
      json.attributes.map((a) => a.code),
      ['GHI_CHU', 'KICH_THUOC'],
    );
    assert.equal('values' in json.attributes[0], false);
    assert.deepEqual(json.attributes[1].values, [
      { key: 'nho', name: 'Nhỏ (< 30 cm)' },
      { key: 'lon', name: 'Lớn' },
    ]);
    assert.equal(json.attributes[1].datatype_description, null);
  });
});

describe('service requests', () => {
  const FIELDS = [
    'service_request_id',
    'status',
    'status_notes',
    'service_name',
    'service_code',
    'description',
    'agency_responsible',
    'service_notice',
    'requested_datetime',
    'updated_datetime',
    'expected_datetime',
    'address',
    'address_id',
    'zipcode',
    'lat',
    'long',
    'media_url',
  ];

  test('XML writes every field of the specification, in its order', () => {
    const root = xmlOf(formatServiceRequests('xml', [buildServiceRequest()]));
    assert.equal(root.name, 'service_requests');
    const [request] = childrenNamed(root, 'request');
    assert.equal(request.name, 'request');
    assert.deepEqual(
      request.children.map((c) => c.name),
      FIELDS,
    );
    assert.equal(childText(request, 'requested_datetime'), '2026-11-26T21:05:00+07:00');
    assert.equal(childText(request, 'expected_datetime'), '2026-12-02T23:59:59+07:00');
    assert.equal(childText(request, 'lat'), '16.4637');
    assert.equal(childText(request, 'long'), '107.5909');
    assert.equal(childText(request, 'address_id'), '');
  });

  test('JSON writes the same fields, with numbers for lat/long and null for what is unknown', () => {
    const [request] = jsonOf(
      formatServiceRequests('json', [buildServiceRequest({ status: 'closed', updated_datetime: null, lat: null, long: null })]),
    ) as Record<string, unknown>[];
    assert.deepEqual(Object.keys(request), FIELDS);
    assert.equal(request.status, 'closed');
    assert.equal(request.updated_datetime, null);
    assert.equal(request.lat, null);
    assert.equal(request.requested_datetime, '2026-11-26T21:05:00+07:00');
    const [located] = jsonOf(formatServiceRequests('json', [buildServiceRequest()])) as Record<string, unknown>[];
    assert.equal(located.lat, 16.4637);
  });

  test('the answer is the very text the generic writers make of the same fields, whatever they hold', () => {
    const texts = ['', 'Ổ gà "đường" phố', 'C:\\đường\\phố', 'Ổ gà & <b>', '\u0000\u0007\u001f', 'dòng 1\r\ndòng 2\tcột', '\u2028\u2029', '<b>&amp;</b>', 'a\ud800b\udc00', '😀 tail\ud83d', '\u007f\u0085\u009f', '\ufffe\uffff', ']]>', "'"];
    const numbers = [0, -0, 1e-7, 16.4637, -179.99999999999997, 123456789012345680000, 1e21];
    const requests = texts.map((text, i) =>
      buildServiceRequest({
        service_request_id: text,
        status: i % 2 ? 'closed' : 'open',
        status_notes: i % 3 ? text : null,
        service_name: text,
        service_code: text,
        description: text,
        agency_responsible: i % 4 ? text : null,
        service_notice: i % 5 ? null : text,
        updated_datetime: i % 2 ? null : new Date(Date.UTC(2026, 10, 26, 14, 5, i, 999)),
        expected_datetime: i % 3 ? null : new Date(-86_400_000 * i - 1),
        address: text,
        address_id: i % 2 ? text : null,
        zipcode: i % 2 ? null : text,
        lat: i % 6 ? numbers[i % numbers.length] : null,
        long: numbers[(i + 3) % numbers.length],
        media_url: i % 2 ? `https://anh.example.vn/${text}` : null,
      }),
    );
    const fieldsOf = (r: Open311ServiceRequest) => ({
      ...r,
      requested_datetime: formatOpen311Datetime(r.requested_datetime),
      updated_datetime: r.updated_datetime && formatOpen311Datetime(r.updated_datetime),
      expected_datetime: r.expected_datetime && formatOpen311Datetime(r.expected_datetime),
    });
    for (const list of [requests, requests.slice(0, 1), []]) {
      const objects = list.map(fieldsOf);
      const json = JSON.stringify(objects).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
      assert.equal(textOf(formatServiceRequests('json', list)), json);
      const xml = writeXmlDocument(list.length === 0 ? element('service_requests', []) : elementList(objects));
      assert.equal(textOf(formatServiceRequests('xml', list)), xml);
    }
  });

  test('a JSON answer written elsewhere gets the escapes of this writer, and goes out as it came when it needs none', () => {
    for (const text of ['Ổ gà & <b>', '\u2028\u2029', '<b>&amp;</b>', 'đường "phố"']) {
      const request = buildServiceRequest({ description: text, address: text });
      const stringified = Buffer.from(JSON.stringify([{ ...request, requested_datetime: formatOpen311Datetime(request.requested_datetime), updated_datetime: formatOpen311Datetime(request.updated_datetime as Date), expected_datetime: formatOpen311Datetime(request.expected_datetime as Date) }]));
      const out = formatJsonText(stringified);
      assert.equal(out.contentType, 'application/json; charset=utf-8');
      assert.equal(textOf(out), textOf(formatServiceRequests('json', [request])));
    }
    const plain = Buffer.from('[{"description":"Ổ gà trước số 12"}]');
    assert.equal(formatJsonText(plain).body, plain);
  });

  test('hostile text in any field comes back as text in XML and in JSON', () => {
    const hostile = buildServiceRequest({ description: HOSTILE, status_notes: HOSTILE, address: HOSTILE, service_name: HOSTILE });
    const xml = textOf(formatServiceRequests('xml', [hostile]));
    assert.equal(xml.includes('<script>'), false);
    const [request] = childrenNamed(parseXmlDocument(xml), 'request');
    for (const field of ['description', 'status_notes', 'address', 'service_name']) assert.equal(childText(request, field), HOSTILE_IN_XML);

    const json = textOf(formatServiceRequests('json', [hostile]));
    assert.equal(/[<>&]/.test(json), false, 'markup characters are \\u-escaped in JSON');
    const [parsed] = JSON.parse(json) as Record<string, unknown>[];
    assert.equal(parsed.description, HOSTILE);
  });
});

describe('the answer to POST requests', () => {
  test('carries the new id, or a token when the request is created later', () => {
    const xml = formatCreatedRequests('xml', [{ service_request_id: 'PA-2026-000124', service_notice: 'Sẽ xác minh trong 1 ngày làm việc', account_id: null }]);
    assert.equal(
      xml.body,
      DECLARATION +
        '<service_requests><request><service_request_id>PA-2026-000124</service_request_id>' +
        '<service_notice>Sẽ xác minh trong 1 ngày làm việc</service_notice><account_id/></request></service_requests>',
    );
    assert.deepEqual(jsonOf(formatCreatedRequests('json', [{ token: 'tk-9f2c', service_notice: null, account_id: 'acc-1' }])), [
      { token: 'tk-9f2c', service_notice: null, account_id: 'acc-1' },
    ]);
  });
});

describe('tokens', () => {
  test('map a token to its request id, or to nothing yet', () => {
    assert.equal(
      formatTokens('xml', [{ service_request_id: 'PA-2026-000124', token: 'tk-9f2c' }]).body,
      `${DECLARATION}<service_requests><request><service_request_id>PA-2026-000124</service_request_id><token>tk-9f2c</token></request></service_requests>`,
    );
    assert.deepEqual(jsonOf(formatTokens('json', [{ service_request_id: null, token: 'tk-9f2c' }])), [
      { service_request_id: null, token: 'tk-9f2c' },
    ]);
  });
});

describe('errors', () => {
  test('XML is errors › error {code, description}, several at once', () => {
    assert.equal(
      formatErrors('xml', [
        { code: 400, description: 'Thiếu service_code. / service_code is required.' },
        { code: 400, description: HOSTILE },
      ]).body,
      DECLARATION +
        '<errors><error><code>400</code><description>Thiếu service_code. / service_code is required.</description></error>' +
        '<error><code>400</code><description>&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt; &amp; &apos;quotes&apos; \uFFFD\uFFFD ]]&gt;</description></error></errors>',
    );
  });

  test('JSON is a bare array of {code, description}', () => {
    const { status, errors } = open311ErrorsOf(unknownService('khong-co'));
    assert.equal(status, 404);
    assert.deepEqual(jsonOf(formatErrors('json', errors)), [
      { code: 404, description: 'Không có loại phản ánh với service_code "khong-co". / No service with service_code "khong-co".' },
    ]);
  });
});

describe('every document', () => {
  const outputs: [string, (f: Open311Format) => Open311Body][] = [
    ['discovery', (f) => formatDiscovery(f, { ...DISCOVERY, contact: HOSTILE })],
    ['services', (f) => formatServices(f, [buildService({ service_name: HOSTILE, description: HOSTILE, keywords: [HOSTILE] })])],
    [
      'service definition',
      (f) =>
        formatServiceDefinition(f, {
          service_code: HOSTILE,
          attributes: DEFINITION.attributes.map((a) => ({ ...a, description: HOSTILE, values: a.values?.map((v) => ({ ...v, name: HOSTILE })) })),
        }),
    ],
    ['service requests', (f) => formatServiceRequests(f, [buildServiceRequest({ description: HOSTILE }), buildServiceRequest()])],
    ['POST answer', (f) => formatCreatedRequests(f, [{ service_request_id: 'PA-1', service_notice: HOSTILE, account_id: HOSTILE }])],
    ['tokens', (f) => formatTokens(f, [{ service_request_id: null, token: HOSTILE }])],
    ['errors', (f) => formatErrors(f, [{ code: 403, description: HOSTILE }])],
  ];

  for (const [name, write] of outputs) {
    test(`${name}: the XML is well-formed UTF-8 with hostile text kept as text, the JSON parses`, () => {
      const xml = xmlOf(write('xml'));
      const texts: string[] = [];
      const walk = (n: XmlNode) => {
        texts.push(n.text);
        n.children.forEach(walk);
      };
      walk(xml);
      assert.ok(texts.includes(HOSTILE_IN_XML), 'the hostile text reads back intact');
      const { body } = write('xml');
      if (typeof body === 'string') assert.equal(Buffer.from(body, 'utf8').toString('utf8'), body);
      else assert.ok(Buffer.from(body.toString('utf8'), 'utf8').equals(body), 'valid UTF-8');
      const json = textOf(write('json'));
      assert.ok(json.includes('\\u003cscript\\u003e'));
      assert.ok(JSON.stringify(jsonOf(write('json'))).includes(JSON.stringify(HOSTILE).slice(1, -1)));
    });
  }
});
