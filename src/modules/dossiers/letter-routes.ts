import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { actorOf } from '../../platform/auth/hook.js';
import { IdParams } from '../../platform/http/params.js';
import type { ApologyLetters } from './letter-service.js';

export const ApologyLetterBody = Type.Object(
  {
    newReturnDate: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD: the new return date, a working day after today' }),
    reason: Type.String({ minLength: 1, maxLength: 2000, description: 'Why the dossier is late (lý do chậm trễ)' }),
    signerName: Type.String({ minLength: 1, maxLength: 100 }),
    signerTitle: Type.String({ minLength: 1, maxLength: 200, description: 'The signer’s position; a line break separates "KT. CHỦ TỊCH" from "PHÓ CHỦ TỊCH"' }),
    number: Type.Optional(
      Type.String({ maxLength: 50, pattern: '^\\s*\\d{1,7}/\\S{1,40}\\s*$', description: 'Number and symbol, e.g. "05/PXL-UBND"; left blank on the letter without it' }),
    ),
  },
  { additionalProperties: false },
);

const DOCX = { 'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { schema: { type: 'string', format: 'binary' } } };

/** The apology letter (phiếu xin lỗi và hẹn lại ngày trả kết quả) of a late dossier, as .docx. */
export function letterRoutes(app: FastifyInstance, deps: { letters: ApologyLetters }) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.post(
    '/api/v1/dossiers/:id/apology-letter',
    {
      schema: {
        tags: ['Hồ sơ thủ tục hành chính (dossiers)'],
        summary: 'Phiếu xin lỗi và hẹn lại ngày trả kết quả (.docx, Nghị định 30/2020/NĐ-CP)',
        params: IdParams,
        body: ApologyLetterBody,
        response: { 200: { description: 'The letter as a Word document', content: DOCX } },
      },
    },
    async (req, reply) => {
      const letter = await deps.letters.generate(actorOf(req), req.params.id, req.body);
      return reply
        .type(letter.contentType)
        .header('content-disposition', `attachment; filename="${letter.fileName}"`)
        .header('cache-control', 'no-store')
        .send(letter.body);
    },
  );
}
