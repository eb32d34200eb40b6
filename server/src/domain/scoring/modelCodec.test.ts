import { applyModels } from './applyModels';
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
});
