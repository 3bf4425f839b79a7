import { describe, expect, it } from "vitest";
import { minShadowPositions } from "./get-readiness";

describe("READINESS_MIN_SHADOW_POSITIONS", () => {
  it("defaults to 30 and takes a whole number", () => {
    expect(minShadowPositions({})).toBe(30);
    expect(minShadowPositions({ READINESS_MIN_SHADOW_POSITIONS: " " })).toBe(30);
    expect(minShadowPositions({ READINESS_MIN_SHADOW_POSITIONS: "50" })).toBe(50);
  });

  it("refuses a bad value, naming the variable and what it accepts", () => {
    expect(() => minShadowPositions({ READINESS_MIN_SHADOW_POSITIONS: "1" })).toThrow(/READINESS_MIN_SHADOW_POSITIONS="1" is not valid: give a whole number from 2/);
    expect(() => minShadowPositions({ READINESS_MIN_SHADOW_POSITIONS: "ten" })).toThrow(/READINESS_MIN_SHADOW_POSITIONS/);
    expect(() => minShadowPositions({ READINESS_MIN_SHADOW_POSITIONS: "2.5" })).toThrow(/whole number/);
  });
});
