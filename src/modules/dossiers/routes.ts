import type { FastifyInstance } from 'fastify';
import { type IngestDeps, ingestRoutes } from './ingest-routes.js';
import type { ApologyLetters } from './letter-service.js';
import { letterRoutes } from './letter-routes.js';
import type { DossierLists } from './lists.js';
import { reportRoutes } from './report-routes.js';
import type { DossierScorecard } from './scorecard.js';

// Every /api/v1/dossiers route, registered from one file per part of the module, each with its
// own dependencies: the ingest (procedures, sources, file imports, the batch push), the reports
// (the scorecard, the dossier lists) and the apology letter.

export type DossierRouteDeps = IngestDeps & { scorecard: DossierScorecard; lists: DossierLists; letters: ApologyLetters };

export function dossierRoutes(app: FastifyInstance, deps: DossierRouteDeps) {
  ingestRoutes(app, deps);
  reportRoutes(app, deps);
  letterRoutes(app, deps);
}
