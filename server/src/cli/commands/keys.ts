import { readConfig, rotateAccessKeys } from '../../main';
import { reportFailure } from '../failure';

/**
 * `signalfit keys rotate`: a new access-token signing key for every instance. Tokens signed with
 * the previous key stay valid until they expire (15 minutes); `--discard-previous` deletes it now.
 */
export async function rotateKeysCommand(options: { discardPrevious?: boolean }): Promise<void> {
  try {
    const config = readConfig();
    const result = await rotateAccessKeys(config, { discardPrevious: options.discardPrevious ?? false });
    const previous = options.discardPrevious
      ? `${result.discarded} previous key(s) deleted: their tokens are refused once each instance reloads its keys, and expire within 15 minutes anyway`
      : `the previous key verifies its tokens until they expire (15 minutes at most), then it is deleted`;
    const sealed = config.secretKey
      ? 'stored encrypted with SIGNALFIT_SECRET_KEY'
      : 'stored unencrypted (no SIGNALFIT_SECRET_KEY: a local trial)';
    process.stdout.write(`New access-token signing key ${result.id}, ${sealed}; ${previous}.\n`);
  } catch (error) {
    reportFailure(error);
  }
}
