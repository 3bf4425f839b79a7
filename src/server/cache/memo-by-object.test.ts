import { describe, expect, it } from "vitest";
import { memoByObject } from "./memo-by-object";

describe("memoByObject", () => {
  it("derives once per object, again for another object with equal content", () => {
    let calls = 0;
    const text = memoByObject((o: { a: number }) => (calls++, JSON.stringify(o)));
    const a = { a: 1 };
    expect(text(a)).toBe('{"a":1}');
    expect(text(a)).toBe('{"a":1}');
    expect(calls).toBe(1);
    expect(text({ a: 1 })).toBe('{"a":1}');
    expect(calls).toBe(2);
  });

  it("does not remember a derivation that threw", () => {
    let fail = true;
    const parse = memoByObject((o: { a: number }) => {
      if (fail) throw new Error("invalid");
      return o.a;
    });
    const a = { a: 2 };
    expect(() => parse(a)).toThrow("invalid");
    fail = false;
    expect(parse(a)).toBe(2);
  });
});
