import { accountOperations } from '../accounts/schema';
import { acquireOperations } from '../acquire/schema';
import { auditOperations } from '../audit/schema';
import { accountListOperations } from '../accounts/listSchema';
import { adminOperations } from '../admin/schema';
import { alertOperations } from '../alerts/schema';
import { creditOperations } from '../credits/schema';
import { optOutOperations } from '../optouts/schema';
import { offboardingOperations } from '../offboarding/schema';
import { retentionOperations } from '../retention/schema';
import { embedOperations } from '../embed/schema';
import { outreachOperations } from '../outreach/schema';
import { peopleOperations } from '../people/schema';
import { scoringOperations } from '../scoring/schema';
import { segmentPerformanceOperations } from '../reports/segmentPerformanceSchema';
import { providerOperations } from '../providers/schema';
import { segmentOperations } from '../segments/schema';
import { orchestrationOperations } from '../orchestrations/schema';
import { orchestrationRunOperations } from '../orchestrations/runSchema';
import { modelInsightsOperations } from '../reports/modelInsightsSchema';
import { modelOperations } from '../models/schema';
import { sessionOperations } from '../session/schema';
import { userOperations } from '../users/schema';
import { apiKeyOperations } from '../apikeys/schema';
import type { ApiOperation } from './operation';

/** The document itself: public, it describes the API and grants nothing. */
const openApiOperation: ApiOperation = {
  method: 'get',
  path: '/api/openapi.json',
  tag: 'meta',
  summary: 'This OpenAPI 3.1 document',
  auth: 'none',
  responses: { 200: { description: 'the document', mediaType: 'application/json' } },
};

/**
 * Every /api operation of the service. A route added to a router and not here fails
 * openapi/routes.test.ts, which compares this list with the app's router.
 */
export const API_OPERATIONS: readonly ApiOperation[] = [
  ...embedOperations,
  ...sessionOperations,
  ...accountListOperations,
  ...accountOperations,
  ...peopleOperations,
  ...scoringOperations,
  ...segmentOperations,
  ...providerOperations,
  ...segmentPerformanceOperations,
  ...orchestrationOperations,
  ...orchestrationRunOperations,
  ...modelInsightsOperations,
  ...modelOperations,
  ...outreachOperations,
  ...adminOperations,
  ...alertOperations,
  ...creditOperations,
  ...retentionOperations,
  ...offboardingOperations,
  ...acquireOperations,
  ...userOperations,
  ...apiKeyOperations,
  ...optOutOperations,
  ...auditOperations,
  openApiOperation,
];
