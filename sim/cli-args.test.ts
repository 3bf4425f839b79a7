import { describe, expect, it } from "vitest";
import { parseCliArgs } from "./cli-args";

describe("parseCliArgs", () => {
  it("reads every flag, with several candle files after --candles", () => {
    expect(parseCliArgs(["--candles", "a.csv", "b.csv", "--speed", "10", "--seed=7", "--random-walk", "--no-demo-trader", "--port", "0"])).toEqual({
      help: false, candles: ["a.csv", "b.csv"], speed: 10, seed: 7, randomWalk: true, demoTrader: false, port: 0, weightLimit: 2400,
    });
  });
  it("reads --weight-limit (Binance's 2,400 unless given; off = count only)", () => {
    expect(parseCliArgs(["--weight-limit", "1200"]).weightLimit).toBe(1200);
    expect(parseCliArgs([]).weightLimit).toBe(2400);
    expect(parseCliArgs(["--weight-limit=off"]).weightLimit).toBeNull();
    expect(() => parseCliArgs(["--weight-limit", "0"])).toThrow(/weightLimit/);
  });
  it("accepts a comma list with =", () => {
    expect(parseCliArgs(["--candles=a.csv,b.csv"]).candles).toEqual(["a.csv", "b.csv"]);
  });
  it("says what is wrong", () => {
    expect(() => parseCliArgs(["--bogus"])).toThrow(/unknown option --bogus/);
    expect(() => parseCliArgs(["--speed"])).toThrow(/--speed needs a value/);
    expect(() => parseCliArgs(["--speed", "fast"])).toThrow(/speed/);
  });
});
