import { AppError, isAppError } from '../../errors';
import type { Db } from '../../store/db';
import { findProvider, listProviders, type ProviderRecord } from '../providers/providers';

/**
 * The contact-data provider the panel buys from: the one SIGNALFIT_PANEL_PROVIDER names, or,
 * when it is unset, the only provider when exactly one is configured; null otherwise.
 */
export async function panelProvider(db: Db, setting: string | null): Promise<ProviderRecord | null> {
  if (setting === null) {
    const providers = await listProviders(db);
    return providers.length === 1 ? providers[0]! : null;
  }
  try {
    return await findProvider(db, setting);
  } catch (error) {
    if (!isAppError(error) || error.code !== 'not_found') throw error;
    throw new AppError(
      'config_invalid',
      `SIGNALFIT_PANEL_PROVIDER is "${setting}", and no contact-data provider has that name: set it to a name signalfit providers list shows`,
    );
  }
}

/** Refuses a buy when the panel has no provider (the GET answers `provider: null` instead). */
export function requirePanelProvider(provider: ProviderRecord | null): ProviderRecord {
  if (provider) return provider;
  throw new AppError(
    'bad_request',
    'no contact-data provider is set for the panel: add one with signalfit providers add and set SIGNALFIT_PANEL_PROVIDER',
  );
}
