import fc from 'fast-check';
import { bundledModelFile, createOfflineClassifier } from '../classify';
import { INTENTS } from '../triage.types';
import {
  FEATURE_VERSION,
  featuresOf,
  segmentRanges,
  stripSalutations,
  tokenize,
  type FeatureOptions,
} from './features';
import { decodeBase64, encodeBase64, loadModel, predict } from './linear-model';

const OPTIONS: FeatureOptions = {
  buckets: 1 << 12,
  charMin: 3,
  charMax: 5,
  charWeight: 0.5,
  negationScope: 3,
  typoRepair: true,
  lengthFeature: true,
};
const negatedWords = (text: string) => {
  const t = tokenize(text, OPTIONS);
  return t.words.filter((_, i) => t.negated[i]);
};

describe('tokenize', () => {
  it('writes out contractions, drops numbers and codes, and repairs typos of key words', () => {
    expect(tokenize("I didn't get order 12345 (SL-10023), my refnud", OPTIONS).words).toEqual([
      'i',
      'did',
      'not',
      'get',
      'order',
      'my',
      'refund',
    ]);
  });

  it('marks the words a negation governs, inside its clause only', () => {
    expect(negatedWords("I don't want a refund, I just want a replacement")).toEqual(['want', 'a', 'refund']);
    expect(negatedWords('I did not authorise this payment')).toEqual(['authorise', 'this', 'payment']);
    expect(negatedWords('No, where is my order')).toEqual([]);
  });

  it('lets words such as "received" and "yet" end the scope: the refund is still the subject', () => {
    expect(negatedWords('I have not received my refund yet')).toEqual([]);
    expect(negatedWords('my parcel has not arrived')).toEqual([]);
    expect(negatedWords('it is not working but I want a refund')).toEqual([]);
  });

  it('splits sentences and "and also" into segments, so a second request is scored on its own', () => {
    const t = tokenize('Please refund my last order, and also change the delivery address. Thanks', OPTIONS);
    const segments = segmentRanges(t).map(([a, b]) => t.words.slice(a, b).join(' '));
    expect(segments).toEqual(['please refund my last order', 'and also change the delivery address']);
  });

  it('drops greetings and sign-offs, never the whole message', () => {
    expect(stripSalutations('hi sam,\n\nwhere is my order #1001?\n\nthanks,\nalex').trim()).toBe(
      'where is my order #1001?',
    );
    expect(stripSalutations('hello there, i forgot my password. best regards, jo').trim()).toBe(
      'i forgot my password.',
    );
    expect(stripSalutations('hi i want a refund, please')).toBe('hi i want a refund, please');
    expect(stripSalutations('thanks')).toBe('thanks');
  });
});

describe('featuresOf', () => {
  it('is a unit vector of in-range slots, identical for identical text (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const x = featuresOf(tokenize(text, OPTIONS), OPTIONS);
        const y = featuresOf(tokenize(text, OPTIONS), OPTIONS);
        expect(Array.from(x.index)).toEqual(Array.from(y.index));
        let sq = 0;
        for (let i = 0; i < x.index.length; i++) {
          expect(x.index[i]).toBeGreaterThanOrEqual(0);
          expect(x.index[i]).toBeLessThan(OPTIONS.buckets);
          sq += x.value[i] * x.value[i];
        }
        if (x.index.length) expect(sq).toBeCloseTo(1, 4);
      }),
      { numRuns: 200 },
    );
  });

  it('puts negated words in their own feature space', () => {
    const plain = new Set(featuresOf(tokenize('i want a refund', OPTIONS), OPTIONS).index);
    const negated = featuresOf(tokenize('i do not want a refund', OPTIONS), OPTIONS).index;
    const shared = Array.from(negated).filter((s) => plain.has(s));
    // only "i", "<i>" and the length bucket survive; no n-gram of "refund" is shared
    expect(shared.length).toBeLessThanOrEqual(4);
  });
});

describe('base64', () => {
  it('round-trips any bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(Array.from(decodeBase64(encodeBase64(bytes)))).toEqual(Array.from(bytes));
      }),
    );
  });
  it('rejects characters outside the alphabet', () => {
    expect(() => decodeBase64('AB$C')).toThrow(/invalid base64/);
  });
});

describe('the bundled model', () => {
  const file = bundledModelFile();

  it('is a current, well-formed model file within the size budget', () => {
    expect(file.featureVersion).toBe(FEATURE_VERSION);
    expect(file.dataSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(file).length).toBeLessThan(5 * 1024 * 1024);
    const model = loadModel(file);
    for (const label of model.intent.labels) expect(INTENTS).toContain(label);
    expect(model.route.labels).toEqual(['auto', 'person']);
    expect(file.decision.minIntentConfidence).toBeLessThanOrEqual(0.5);
    expect(file.decision.reviewAdvisedAt.default).toBeGreaterThan(0);
    expect(file.sources?.map((s) => s.licence)).toEqual(['CC BY 4.0', 'CDLA-Sharing-1.0', 'ODbL 1.0 / DbCL 1.0']);
  });

  it('gives probabilities that sum to one', () => {
    const model = loadModel(file);
    const p = predict(model.intent, featuresOf(tokenize('where is my order', model.features), model.features));
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });

  it('is refused when it does not match this code', () => {
    expect(() => createOfflineClassifier({ ...file, featureVersion: FEATURE_VERSION + 1 })).toThrow(/feature version/);
    expect(() => createOfflineClassifier({ ...file, format: 'other' })).toThrow(/format/);
    expect(() =>
      createOfflineClassifier({ ...file, heads: { ...file.heads, intent: { ...file.heads.intent, weights: 'AAAA' } } }),
    ).toThrow(/weights/);
    expect(() =>
      createOfflineClassifier({ ...file, decision: { ...file.decision, minIntentConfidence: 0.9 } }),
    ).toThrow(/decision/);
  });
});
