import { normaliseForMatching, repairTypo } from './text';

describe('repairTypo', () => {
  it.each([
    ['refnud', 'refund'],
    ['recieved', 'received'],
    ['adress', 'address'],
    ['passwrd', 'password'],
  ])('repairs %s to %s', (typo, word) => {
    expect(repairTypo(typo)).toBe(word);
  });

  it.each(['charges', 'managed', 'charging', 'compliant', 'persona', 'returned'])(
    'leaves a real word alone, even one letter away from a key word: %s',
    (word) => {
      expect(repairTypo(word)).toBe(word);
    },
  );

  it('normalises contractions and punctuation before matching', () => {
    expect(normaliseForMatching("I didn't get it!")).toBe(' i did not get it ');
  });
});
