import fc from 'fast-check';
import { seededCompletionId, seededIndexOf } from '../../src/emulator/seeded/ids';
import { floatText, topLevelNumberText } from '../../src/emulator/server/jsonText';
import { compilePackedFilter, packedMetadataBytes, packMetadata } from '../../src/emulator/seeded/seededMetadata';

describe('seeded completion ids', () => {
  it('decode back to their index, for any seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 9_999_999 }), (seed, index) => {
        const id = seededCompletionId(seed, index);
        expect(id).toMatch(/^chatcmpl-[0-9A-Za-z]{29}$/);
        expect(seededIndexOf(seed, 10_000_000, id)).toBe(index);
      }),
    );
  });

  it('are unknown under another seed, beyond the count, or with any character changed', () => {
    const id = seededCompletionId(1, 500);
    expect(seededIndexOf(2, 1000, id)).toBeUndefined();
    expect(seededIndexOf(1, 500, id)).toBeUndefined();
    for (let i = 'chatcmpl-'.length; i < id.length; i++) {
      const changed = id.slice(0, i) + (id[i] === 'a' ? 'b' : 'a') + id.slice(i + 1);
      expect(seededIndexOf(1, 1000, changed)).toBeUndefined();
    }
    expect(seededIndexOf(1, 1000, 'chatcmpl-AyPNinnUqUDYo9SAdA52NobMflmj2')).toBeUndefined();
  });

  it('look random: the first characters vary', () => {
    const firsts = new Set(Array.from({ length: 500 }, (_, i) => seededCompletionId(1, i).charAt('chatcmpl-'.length)));
    expect(firsts.size).toBeGreaterThan(40);
  });
});

describe('topLevelNumberText', () => {
  it('finds the literal digits of a top-level number', () => {
    expect(topLevelNumberText('{"model":"x","seed": 4944116822809979520 ,"n":1}', 'seed')).toBe('4944116822809979520');
    expect(topLevelNumberText('{"seed":-12.5e3}', 'seed')).toBe('-12.5e3');
  });

  it('ignores the key inside strings and nested values, and lets the last duplicate win', () => {
    const text = '{"messages":[{"seed":1,"content":"\\"seed\\": 2"}],"tools":{"seed":3},"seed":4,"x":"seed","seed":5}';
    expect(topLevelNumberText(text, 'seed')).toBe('5');
    expect(topLevelNumberText('{"a":{"seed":1}}', 'seed')).toBeUndefined();
    expect(topLevelNumberText('{"seed":null}', 'seed')).toBeUndefined();
  });
});

describe('floatText', () => {
  it('writes floats the way the API does', () => {
    expect([1, 0, 0.7, -2, 1.25].map(floatText)).toEqual(['1.0', '0.0', '0.7', '-2.0', '1.25']);
  });
});

describe('packed seeded metadata', () => {
  const code = packMetadata([6, -1, 7, 0]);

  it('renders the picked values in vocabulary order', () => {
    expect(packedMetadataBytes(code).toString()).toBe('{"user":"user_0007","feature":"検索","cost center":"R&D"}');
    expect(packedMetadataBytes(0).toString()).toBe('{}');
  });

  it('compiles filters to a mask test', () => {
    const matches = (pairs: readonly (readonly [string, string])[]): boolean => {
      const filter = compilePackedFilter(pairs);
      return filter !== undefined && ((code & filter.mask) >>> 0) === filter.expected;
    };
    expect(matches([['feature', '検索']])).toBe(true);
    expect(matches([['user', 'user_0007'], ['cost center', 'R&D']])).toBe(true);
    expect(matches([['user', 'user_0008']])).toBe(false);
    expect(matches([['env', 'prod']])).toBe(false);
    expect(compilePackedFilter([['env', 'moon']])).toBeUndefined();
    expect(compilePackedFilter([['env', 'prod'], ['env', 'dev']])).toBeUndefined();
  });
});
