// Instrument rules (tick, step, min notional) the simulator enforces and publishes in exchangeInfo.
// Known symbols use Binance-like values; any other candle file gets rules scaled to its price.
export interface MarketSpec {
  symbol: string;
  baseAsset: string;
  quoteAsset: "USDT";
  tickSize: number;
  stepSize: number;
  minQty: number;
  maxQty: number;
  /** MARKET_LOT_SIZE: the largest quantity of a market order (also a triggered stop's order) */
  marketMaxQty: number;
  minPrice: number;
  maxPrice: number;
  minNotional: number;
  pricePrecision: number;
  quantityPrecision: number;
  maxLeverage: number;
  maintMarginRatio: number;
}

const KNOWN: Record<string, Omit<MarketSpec, "symbol" | "baseAsset" | "quoteAsset">> = {
  BTCUSDT: { tickSize: 0.1, stepSize: 0.001, minQty: 0.001, maxQty: 1000, marketMaxQty: 120, minPrice: 556.8, maxPrice: 4_529_764, minNotional: 100, pricePrecision: 2, quantityPrecision: 3, maxLeverage: 125, maintMarginRatio: 0.004 },
  ETHUSDT: { tickSize: 0.01, stepSize: 0.001, minQty: 0.001, maxQty: 10000, marketMaxQty: 2000, minPrice: 39.86, maxPrice: 306_177, minNotional: 20, pricePrecision: 2, quantityPrecision: 3, maxLeverage: 100, maintMarginRatio: 0.005 },
  SOLUSDT: { tickSize: 0.001, stepSize: 1, minQty: 1, maxQty: 1_000_000, marketMaxQty: 5000, minPrice: 0.42, maxPrice: 6857, minNotional: 5, pricePrecision: 3, quantityPrecision: 0, maxLeverage: 50, maintMarginRatio: 0.01 },
  XRPUSDT: { tickSize: 0.0001, stepSize: 0.1, minQty: 0.1, maxQty: 10_000_000, marketMaxQty: 2_000_000, minPrice: 0.0143, maxPrice: 100_000, minNotional: 5, pricePrecision: 4, quantityPrecision: 1, maxLeverage: 75, maintMarginRatio: 0.01 },
};

export function marketSpecFor(symbol: string, referencePrice: number): MarketSpec {
  const baseAsset = symbol.replace(/USDT$/, "");
  const known = KNOWN[symbol];
  if (known) return { symbol, baseAsset, quoteAsset: "USDT", ...known };
  // ~5 significant digits of price; one step worth roughly 0.1..1 USDT.
  const pricePrecision = Math.max(0, 4 - Math.floor(Math.log10(referencePrice)));
  const quantityPrecision = Math.max(0, Math.min(8, Math.floor(Math.log10(referencePrice)) + 1));
  const stepSize = 10 ** -quantityPrecision;
  return {
    symbol,
    baseAsset,
    quoteAsset: "USDT",
    tickSize: 10 ** -pricePrecision,
    stepSize,
    minQty: stepSize,
    maxQty: 1e9,
    marketMaxQty: 1e8,
    minPrice: 10 ** -pricePrecision,
    maxPrice: referencePrice * 1000,
    minNotional: 5,
    pricePrecision,
    quantityPrecision,
    maxLeverage: 50,
    maintMarginRatio: 0.01,
  };
}

/** True when value is a whole multiple of step (within float noise). */
export function isMultipleOf(value: number, step: number): boolean {
  const ratio = value / step;
  return Math.abs(ratio - Math.round(ratio)) < 1e-6;
}

/** Decimals of a number as written (1e-7 → 7), for Binance's precision check (-1111). */
export function decimalsOf(value: number): number {
  if (!Number.isFinite(value)) return 0;
  const text = value.toString();
  const exp = /e-(\d+)$/.exec(text);
  if (exp) return Number(exp[1]) + (text.split("e")[0]!.split(".")[1]?.length ?? 0);
  return text.split(".")[1]?.length ?? 0;
}

export function roundToStep(value: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return Number((Math.round(value / step) * step).toFixed(decimals));
}
