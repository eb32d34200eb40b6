import { DEFAULT_PERSONAS } from '../../domain/scoring/personas';
import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import { saveScoringSetting } from '../scoring/settings';
import { personaOrder, PERSONA_ORDER_TTL_MS } from './personaOrder';
import { OPERATOR } from '../../policies/policies';

describe.each(testStoreTargets())('personaOrder on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));

  it('gives the scoring settings’ personas in priority order, read again once the cache is stale', async () => {
    let clock = 0;
    const order = personaOrder(db, () => clock);
    expect(await order()).toEqual(DEFAULT_PERSONAS.map((p) => ({ name: p.name })));

    await saveScoringSetting(
      db,
      'personas',
      [
        { name: 'Champion', jobLevels: ['Director'] },
        { name: 'Signer', jobLevels: ['C-Level'] },
      ],
      OPERATOR,
    );
    clock = PERSONA_ORDER_TTL_MS / 2;
    expect((await order()).map((p) => p.name)).toEqual(DEFAULT_PERSONAS.map((p) => p.name));
    clock = PERSONA_ORDER_TTL_MS + 1;
    expect((await order()).map((p) => p.name)).toEqual(['Champion', 'Signer']);
  });
});
