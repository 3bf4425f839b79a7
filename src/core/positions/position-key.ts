// A position's id in URLs and requests: SYMBOL-side (e.g. BTCUSDT-long), one-way mode has one
// position per symbol and side. Pure.
import { z } from "zod";

export const SymbolSchema = z
  .string()
  .trim()
  .toUpperCase()
  .min(2, "a symbol is at least two letters, e.g. BTCUSDT")
  .max(40, "a symbol is at most 40 characters")
  .regex(/^[A-Z0-9]+$/, "a symbol is letters and digits only, e.g. BTCUSDT");

export const PositionSideSchema = z.enum(["long", "short"], { error: "the side is long or short" });

export interface PositionRef {
  symbol: string;
  positionSide: "long" | "short";
}

export const PositionIdSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9]{2,40}-(long|short)$/, "a position id is SYMBOL-side, e.g. BTCUSDT-long")
  .transform((s): PositionRef => {
    const [symbol, side] = s.split("-") as [string, "long" | "short"];
    return { symbol: symbol.toUpperCase(), positionSide: side };
  });
