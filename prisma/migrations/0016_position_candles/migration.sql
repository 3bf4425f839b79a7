-- Issue 16: the candles of symbols with an open position, recorded by the worker's leader (the web
-- never asks the exchange), for the position page's chart. One row per symbol, timeframe and open
-- time; a candle still forming is overwritten until it closes.
CREATE TABLE "market_candle" (
  "symbol"     TEXT             NOT NULL,
  "timeframe"  TEXT             NOT NULL,
  "open_time"  TIMESTAMPTZ(3)   NOT NULL,
  "open"       DOUBLE PRECISION NOT NULL,
  "high"       DOUBLE PRECISION NOT NULL,
  "low"        DOUBLE PRECISION NOT NULL,
  "close"      DOUBLE PRECISION NOT NULL,
  "volume"     DOUBLE PRECISION NOT NULL,
  PRIMARY KEY ("symbol", "timeframe", "open_time")
);
