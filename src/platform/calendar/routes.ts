import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { actorOf } from '../auth/hook.js';
import { IdParams, Nullable } from '../http/params.js';
import type { CalendarService } from './service.js';

const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
const Year = Type.Integer({ minimum: 1900, maximum: 2199 });

const Exception = Type.Object({ id: Type.Integer(), date: Type.String(), kind: Type.String(), name: Type.String() });
const Day = Type.Object({ date: Type.String(), working: Type.Boolean(), kind: Type.String(), name: Nullable(Type.String()) });

export function calendarRoutes(app: FastifyInstance, deps: { calendar: CalendarService }) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { calendar } = deps;
  const tags = ['Lịch làm việc (calendar)'];

  r.get(
    '/api/v1/calendar/years/:year',
    { schema: { tags, params: Type.Object({ year: Year }), response: { 200: Type.Object({ year: Type.Integer(), days: Type.Array(Day) }) } } },
    async (req) => {
      actorOf(req);
      const days = await calendar.year(req.params.year);
      return { year: req.params.year, days: days.map((d) => ({ ...d, name: d.name ?? null })) };
    },
  );

  r.get(
    '/api/v1/calendar/exceptions',
    {
      schema: {
        tags,
        querystring: Type.Object({ year: Type.Optional(Year) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(Exception) }) },
      },
    },
    async (req) => {
      actorOf(req);
      return { items: await calendar.exceptions(req.query.year) };
    },
  );

  r.post(
    '/api/v1/calendar/exceptions',
    {
      schema: {
        tags,
        body: Type.Object(
          { date: IsoDate, kind: Type.Union([Type.Literal('off'), Type.Literal('work')]), name: Type.String({ minLength: 1, maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: { 201: Exception },
      },
    },
    async (req, reply) => {
      reply.status(201);
      return calendar.addException(actorOf(req), req.body);
    },
  );

  r.delete('/api/v1/calendar/exceptions/:id', { schema: { tags, params: IdParams } }, async (req, reply) => {
    await calendar.removeException(actorOf(req), req.params.id);
    return reply.status(204).send();
  });

  r.get(
    '/api/v1/calendar/add-working-days',
    {
      schema: {
        tags,
        querystring: Type.Object({ from: IsoDate, days: Type.Integer({ minimum: -3650, maximum: 3650 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ date: Type.String() }) },
      },
    },
    async (req) => {
      actorOf(req);
      return { date: await calendar.addWorkingDays(req.query.from, req.query.days) };
    },
  );

  r.get(
    '/api/v1/calendar/working-days-between',
    {
      schema: {
        tags,
        querystring: Type.Object({ from: IsoDate, to: IsoDate }, { additionalProperties: false }),
        response: { 200: Type.Object({ days: Type.Integer() }) },
      },
    },
    async (req) => {
      actorOf(req);
      return { days: await calendar.workingDaysBetween(req.query.from, req.query.to) };
    },
  );
}
