import { Router, type Response } from 'express';
import type { SalesforceClient } from '../../../integrations/salesforce/client';
import { authorize } from '../../../policies/policies';
import { accountCandidates, panelAccount } from '../../../services/acquire/accountCandidates';
import { candidateView } from '../../../services/orchestrations/previewOrchestration';
import { acquireContact } from '../../../services/acquire/acquireContact';
import { panelProvider, requirePanelProvider } from '../../../services/acquire/panelProvider';
import { openProvider } from '../../../services/providers/providers';
import type { Db } from '../../../store/db';
import { allow } from '../../auth/allow';
import {
  accessOf,
  assertMayReadAccount,
  requireAccess,
  type AccessKeySource,
} from '../../auth/requireAccess';
import { parse } from '../../validate';
import { acquireBody, acquireParams, acquireQuery } from './schema';

export interface AcquireDeps {
  db: Db;
  keys: AccessKeySource;
  now: () => Date;
  /** SIGNALFIT_PANEL_PROVIDER; null: the only provider, when there is exactly one. */
  panelProvider: string | null;
  /** SIGNALFIT_SECRET_KEY: opens an http provider's token. */
  secretKey: string | null;
  /** Logs in to Salesforce (config SALESFORCE_*); null: not configured, bought people are not pushed. */
  salesforce: (() => Promise<SalesforceClient>) | null;
  /** Bulk API poll interval (tests shorten it); default: the push's own. */
  salesforcePollMs?: number;
}

/**
 * The panel's "find more people like this" (docs/orchestrations-panel.md): the candidates a
 * provider offers at the panel's account, and buying one (contacts.acquire; a panel user only
 * for the account the panel was opened on).
 */
export function acquireRoutes(deps: AcquireDeps): Router {
  const router = Router();
  const auth = requireAccess(deps.keys, deps.now);
  const { db } = deps;
  const allowed = (res: Response, accountId: string, what: string) => {
    const access = accessOf(res);
    authorize(access, 'contacts.acquire', what);
    assertMayReadAccount(access, accountId);
    return access;
  };

  router.get(
    '/api/accounts/:id/acquire',
    auth,
    allow('contacts.acquire', 'finding people to buy'),
    async (req, res) => {
      const { id } = parse(acquireParams, req.params);
      allowed(res, id, 'finding people to buy');
      const { persona } = parse(acquireQuery, req.query);
      const account = await panelAccount(db, id);
      const provider = await panelProvider(db, deps.panelProvider);
      res.set('Cache-Control', 'private, no-store');
      if (!provider) {
        res.json({ provider: null, persona: persona ?? null, candidates: [] });
        return;
      }
      const found = await accountCandidates({
        db,
        provider: await openProvider(db, provider.id, { secretKey: deps.secretKey }),
        account,
        persona: persona ?? null,
        now: deps.now(),
      });
      res.json({
        provider: { id: provider.id, name: provider.name },
        persona: found.persona,
        candidates: found.result.purchases.map((decision) =>
          candidateView(decision, new Map([[account.id, account.name]])),
        ),
      });
    },
  );

  router.post(
    '/api/accounts/:id/acquire',
    auth,
    allow('contacts.acquire', 'buying a person'),
    async (req, res) => {
      const { id } = parse(acquireParams, req.params);
      const actor = allowed(res, id, 'buying a person');
      const body = parse(acquireBody, req.body ?? {});
      const provider = requirePanelProvider(await panelProvider(db, deps.panelProvider));
      const answer = await acquireContact({
        db,
        provider,
        open: () => openProvider(db, provider.id, { secretKey: deps.secretKey }),
        accountId: id,
        providerContactId: body.providerId,
        persona: body.persona ?? null,
        actor,
        salesforce: deps.salesforce,
        pollIntervalMs: deps.salesforcePollMs,
        now: deps.now,
      });
      res.set('Cache-Control', 'private, no-store');
      res.json(answer);
    },
  );

  return router;
}
