-- High availability: the single leader lease. One row (id = 1); whoever holds an unexpired lease
-- is the leader. Every new term bumps "epoch", which every order attempt carries and the gateway
-- checks (under FOR SHARE, in its submit transaction) so a former leader can never send.
-- Times are the database's clock (now()), so worker clocks never have to agree.
CREATE TABLE "worker_leader" (
  "id"          SMALLINT       NOT NULL PRIMARY KEY DEFAULT 1 CHECK ("id" = 1),
  "holder_id"   TEXT           NOT NULL,
  "epoch"       BIGINT         NOT NULL CHECK ("epoch" >= 1),
  "lease_until" TIMESTAMPTZ(3) NOT NULL,
  "acquired_at" TIMESTAMPTZ(3) NOT NULL,
  "renewed_at"  TIMESTAMPTZ(3) NOT NULL
);

-- Watchdog daily-loss rule: the account's wallet balance per UTC day, as last read from the
-- exchange by the worker. starting_balance is the first balance seen that day; the realised loss
-- of the day is starting_balance - current_balance (wallet balance moves with realised PnL, fees
-- and funding, not with unrealised PnL).
CREATE TABLE "account_pnl" (
  "day"              DATE             NOT NULL,
  "asset"            TEXT             NOT NULL,
  "starting_balance" DOUBLE PRECISION NOT NULL,
  "current_balance"  DOUBLE PRECISION NOT NULL,
  "created_at"       TIMESTAMPTZ(3)   NOT NULL DEFAULT now(),
  "updated_at"       TIMESTAMPTZ(3)   NOT NULL DEFAULT now(),
  PRIMARY KEY ("day", "asset")
);
