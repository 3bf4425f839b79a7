import { describe, expect, it } from "vitest";
import { pairedTest, studentQuantile975, studentTwoSidedP } from "./paired-test";

describe("Student t", () => {
  it("matches table values", () => {
    expect(studentTwoSidedP(2.228, 10)).toBeCloseTo(0.05, 3);
    expect(studentTwoSidedP(1.96, 100_000)).toBeCloseTo(0.05, 3);
    expect(studentTwoSidedP(0, 5)).toBeCloseTo(1, 9);
    expect(studentQuantile975(29)).toBeCloseTo(2.045, 3);
  });
});

describe("pairedTest", () => {
  it("is the ordinary paired t-test with one pair per block", () => {
    const a = [1.2, 0.8, 1.5, 1.1, 0.9, 1.4];
    const b = [1.0, 0.9, 1.1, 1.0, 1.0, 1.0];
    const d = a.map((x, i) => x - b[i]!);
    const m = d.reduce((s, x) => s + x, 0) / d.length;
    const sd = Math.sqrt(d.reduce((s, x) => s + (x - m) ** 2, 0) / (d.length - 1));
    const r = pairedTest(a, b, [0, 1, 2, 3, 4, 5]);
    expect(r.mean).toBeCloseTo(m, 12);
    expect(r.se).toBeCloseTo(sd / Math.sqrt(6), 12);
    expect(r.df).toBe(5);
    expect(r.p).toBeCloseTo(studentTwoSidedP(m / (sd / Math.sqrt(6)), 5), 12);
    expect(r.ci[0]).toBeLessThan(m);
    expect(r.bootCi[0]).toBeLessThanOrEqual(r.bootCi[1]);
  });

  it("counts a block of correlated pairs as one unit: copies of the same pair do not make it significant", () => {
    const a = [1, 2, 3, 4];
    const b = [0.5, 2.1, 2.7, 3.4]; // differences 0.5, -0.1, 0.3, 0.6
    const once = pairedTest(a, b, [0, 1, 2, 3]);
    const copies = 50;
    const rep = (xs: number[]) => xs.flatMap((x) => Array<number>(copies).fill(x));
    const blocked = pairedTest(rep(a), rep(b), rep([0, 1, 2, 3]));
    const naive = pairedTest(rep(a), rep(b), rep(a).map((_, i) => i));
    expect(blocked.blocks).toBe(4);
    expect(blocked.p).toBeGreaterThan(0.05);
    expect(naive.p).toBeLessThan(0.001); // what treating overlapping trades as independent would claim
    expect(once.mean).toBeCloseTo(blocked.mean, 12);
  });

  it("finds a real shift", () => {
    const a = Array.from({ length: 60 }, (_, i) => Math.sin(i) + 0.5);
    const b = Array.from({ length: 60 }, (_, i) => Math.sin(i));
    const r = pairedTest(a, b, a.map((_, i) => Math.floor(i / 2)));
    expect(r.mean).toBeCloseTo(0.5, 12);
    expect(r.p).toBeLessThan(0.001);
  });
});
