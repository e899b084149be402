import { describe, expect, it } from 'vitest';
import { othersBetween } from './id-gaps.ts';

const MAX = Number.MAX_SAFE_INTEGER;

describe('othersBetween', () => {
  it('contiguous chunks right after the mark leave only the tail open', () => {
    expect(othersBetween(100, [{ lo: 101, hi: 200, n: 100 }, { lo: 201, hi: 300, n: 100 }])).toEqual({ lo: [300], hi: [MAX] });
  });
  it('a form saved between two chunks falls into a gap', () => {
    // ids 201..205 were taken by someone else between the chunks
    expect(othersBetween(100, [{ lo: 206, hi: 305, n: 100 }, { lo: 101, hi: 200, n: 100 }])).toEqual({ lo: [200, 305], hi: [206, MAX] });
  });
  it('a save before the first chunk is after the mark', () => {
    expect(othersBetween(100, [{ lo: 103, hi: 202, n: 100 }])).toEqual({ lo: [100, 202], hi: [103, MAX] });
  });
  it('a chunk with other ids interleaved (a PostgreSQL server under load) is checked whole', () => {
    expect(othersBetween(10, [{ lo: 11, hi: 30, n: 15 }])).toEqual({ lo: [10, 30], hi: [31, MAX] });
  });
  it('nothing written: everything after the mark', () => {
    expect(othersBetween(7, [])).toEqual({ lo: [7], hi: [MAX] });
  });
});
