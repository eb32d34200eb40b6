import { applyModels } from './applyModels';
import { engagementGrade, FIXED_GRADE_CUTS } from './engagement';
import { decodeModel, encodeModel, MODEL_KINDS, modelsOf, paramsOf, type ModelParams } from './modelCodec';
import { trainModels } from './trainModels';
import { DEFAULT_SCORING_SETTINGS } from './settings';
import { syntheticMarket } from './testing';

describe('model codec', () => {
  it('keeps typed arrays, maps and non-finite numbers exactly', () => {
    const value = {
      a: Float64Array.from([0.1, 1 / 3, -2.5e-300, NaN, Infinity]),
      m: new Map([['x', 1]]),
      n: -Infinity,
      nested: [{ b: Float64Array.from([Math.PI]) }],
    };
    const back = decodeModel<typeof value>(encodeModel(value));
    expect(Array.from(back.a)).toEqual([0.1, 1 / 3, -2.5e-300, NaN, Infinity]);
    expect(back.a).toBeInstanceOf(Float64Array);
    expect(back.m.get('x')).toBe(1);
    expect(back.n).toBe(-Infinity);
    expect(back.nested[0]?.b[0]).toBe(Math.PI);
  });

  it('a market scored from decoded versions equals the market scored from the trained models', () => {
    const facts = syntheticMarket();
    const trained = trainModels(facts, DEFAULT_SCORING_SETTINGS);
    const params = paramsOf(trained);
    const decoded = Object.fromEntries(
      MODEL_KINDS.map((kind) => [kind, decodeModel(encodeModel(params[kind]))]),
    ) as unknown as ModelParams;
    const direct = applyModels(facts, DEFAULT_SCORING_SETTINGS, trained);
    const fromText = applyModels(facts, DEFAULT_SCORING_SETTINGS, modelsOf(decoded));
    expect(trained.intent).not.toBeNull();
    expect(fromText).toEqual(direct);
  });

  it('keeps the fitted grade cuts, and applies an engagement version stored before them with its fixed cuts', () => {
    const facts = syntheticMarket();
    const trained = trainModels(facts, DEFAULT_SCORING_SETTINGS);
    const params = paramsOf(trained);
    const engagement = decodeModel<ModelParams['engagement']>(encodeModel(params.engagement));
    expect(engagement.model).toEqual(trained.engagement);
    expect(engagement.model.gradeCutsFrom).toBe('market shares');
    // A version of the earlier engine: the same points, fixed cuts and no gradeCutsFrom.
    const older = decodeModel<ModelParams['engagement']>(
      '{"model":{"points":{"email_open":1,"email_click":3,"ad_click":2,"webinar":6,"trade_show":5,' +
        '"field_event":6,"form_fill":8,"sales_reply":8},"halfLifeDays":30,"windowDays":90,' +
        '"gradeCuts":{"A":70,"B":40,"C":15}}}',
    );
    const scores = applyModels(facts, DEFAULT_SCORING_SETTINGS, modelsOf({ ...params, engagement: older }));
    expect(older.model.gradeCuts).toEqual(FIXED_GRADE_CUTS);
    for (const p of scores.people) expect(p.engagementGrade).toBe(engagementGrade(p.engagementScore));
  });
});
