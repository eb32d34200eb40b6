import { AppError } from '../../errors';
import { tokenCipher } from '../outreach/tokenCrypto';

/** The sealing purpose of alert webhooks (its own derived key: a leak of one purpose opens no other). */
const PURPOSE = 'slack-webhooks/v1';

/** A subscription's webhook is bound to it: a sealed URL copied to another row does not open. */
const ownerOf = (subscriptionId: number) => `alert-subscription:${subscriptionId}`;

/** Seals a webhook URL for a subscription (base64 text, as alert_subscriptions keeps it). */
export function sealWebhook(secretKey: string, subscriptionId: number, url: string): string {
  return tokenCipher(secretKey, PURPOSE).encrypt(url, ownerOf(subscriptionId)).toString('base64');
}

/** The webhook URL of a subscription; `config_invalid` when the key is missing or not the one it was sealed with. */
export function openWebhook(secretKey: string | null, subscriptionId: number, sealed: string): string {
  if (!secretKey) {
    throw new AppError(
      'config_invalid',
      'the Slack webhooks are stored encrypted: set SIGNALFIT_SECRET_KEY (the key they were stored with) to send alerts',
    );
  }
  try {
    return tokenCipher(secretKey, PURPOSE).decrypt(Buffer.from(sealed, 'base64'), ownerOf(subscriptionId));
  } catch {
    throw new AppError(
      'config_invalid',
      `the Slack webhook of alert subscription ${subscriptionId} does not open with this SIGNALFIT_SECRET_KEY (was the key changed?): subscribe again with the webhook URL`,
    );
  }
}
