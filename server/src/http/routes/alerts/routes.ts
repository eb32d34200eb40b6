import { Router } from 'express';
import type { OutboundLimits } from '../../../integrations/outbound';
import { createSubscription } from '../../../services/alerts/createSubscription';
import { deleteSubscription } from '../../../services/alerts/deleteSubscription';
import { listAlerts } from '../../../services/alerts/listAlerts';
import { sendTestMessage } from '../../../services/alerts/sendTestMessage';
import type { Db } from '../../../store/db';
import { allow } from '../../auth/allow';
import { accessOf, requireAccess, type AccessKeySource } from '../../auth/requireAccess';
import { parse } from '../../validate';
import { createAlertBody, subscriptionIdParams } from './schema';

export interface AlertDeps {
  db: Db;
  keys: AccessKeySource;
  now: () => Date;
  /** SIGNALFIT_SECRET_KEY: seals new webhooks, opens stored ones. */
  secretKey: string | null;
  /** SIGNALFIT_PUBLIC_URL, linked from the test message. */
  publicUrl: string | null;
  outbound: OutboundLimits;
}

/**
 * Alert subscriptions and the in-app alert list (docs/alerts.md): `GET /api/alerts`,
 * `POST /api/alerts`, `DELETE /api/alerts/:id`, `POST /api/alerts/:id/test`. Who may do what is
 * policies.ts's, asked first and again by the use cases: segments.view to read (the segment page
 * shows every viewer the alerts raised), alerts.manage to change or test.
 */
export function alertRoutes(deps: AlertDeps): Router {
  const router = Router();
  const auth = requireAccess(deps.keys, deps.now);
  const manage = allow('alerts.manage', 'managing alerts');

  router.get('/api/alerts', auth, allow('segments.view', 'seeing alerts'), async (_req, res) => {
    const list = await listAlerts(deps.db, { actor: accessOf(res), now: deps.now() });
    res.set('Cache-Control', 'private, no-store');
    res.json(list);
  });

  router.post('/api/alerts', auth, manage, async (req, res) => {
    const body = parse(createAlertBody, req.body ?? {});
    const subscription = await createSubscription(deps.db, {
      actor: accessOf(res),
      segment: body.segment,
      event: body.event,
      slackWebhookUrl: body.slackWebhookUrl ?? null,
      digest: body.digest,
      secretKey: deps.secretKey,
    });
    res.status(201).json({ subscription });
  });

  router.delete('/api/alerts/:id', auth, manage, async (req, res) => {
    const { id } = parse(subscriptionIdParams, req.params);
    await deleteSubscription(deps.db, { actor: accessOf(res), id });
    res.status(204).end();
  });

  router.post('/api/alerts/:id/test', auth, manage, async (req, res) => {
    const { id } = parse(subscriptionIdParams, req.params);
    await sendTestMessage(deps.db, {
      actor: accessOf(res),
      subscriptionId: id,
      secretKey: deps.secretKey,
      publicUrl: deps.publicUrl,
      slack: { outbound: deps.outbound },
    });
    res.json({ sent: true });
  });

  return router;
}
