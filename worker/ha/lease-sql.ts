// SQL of the leader lease (table worker_leader, migration 0006_ha_watchdog). All times are the
// database's clock_timestamp(), so the workers' clocks never need to agree.
//
// Why a lease row and not pg_advisory_lock: an advisory lock lives as long as the holder's
// session, and the server only ends the session of a partitioned or frozen holder once TCP
// notices (keepalive: minutes, by default hours). A standby could then wait far longer than 5 s,
// and the lock by itself has no epoch. A lease row expires at a time written in the database:
// takeover is bounded by the lease length whatever happened to the old holder's connection, and
// the same statement that starts a term bumps the epoch the gateway fences on.

/**
 * Acquire or renew in one atomic statement. $1 holder id, $2 lease ms. Returns the epoch when
 * this holder now holds the lease; no row when another holder's lease is still running.
 * Same holder with an unexpired lease keeps its epoch (same term); anyone else, or the same
 * holder after its lease lapsed, starts a new term with epoch + 1.
 */
export const ACQUIRE_OR_RENEW = `
INSERT INTO worker_leader AS l (id, holder_id, epoch, lease_until, acquired_at, renewed_at)
VALUES (1, $1, 1, clock_timestamp() + $2::int * interval '1 millisecond', clock_timestamp(), clock_timestamp())
ON CONFLICT (id) DO UPDATE SET
  epoch       = CASE WHEN l.holder_id = EXCLUDED.holder_id AND l.lease_until > clock_timestamp() THEN l.epoch ELSE l.epoch + 1 END,
  acquired_at = CASE WHEN l.holder_id = EXCLUDED.holder_id AND l.lease_until > clock_timestamp() THEN l.acquired_at ELSE EXCLUDED.acquired_at END,
  holder_id   = EXCLUDED.holder_id,
  lease_until = EXCLUDED.lease_until,
  renewed_at  = EXCLUDED.renewed_at
WHERE l.holder_id = EXCLUDED.holder_id OR l.lease_until <= clock_timestamp()
RETURNING epoch::text AS epoch`;

/** Graceful hand-over: end my term now so a standby takes over at its next try. $1 holder, $2 epoch. */
export const RELEASE = `UPDATE worker_leader SET lease_until = clock_timestamp()
  WHERE id = 1 AND holder_id = $1 AND epoch = $2::bigint AND lease_until > clock_timestamp()`;

/** The committed term and the time its lease has left (ms, database clock). Never locks the row. */
export const SELECT_TERM = `SELECT epoch::text AS epoch, holder_id AS "holderId",
  (EXTRACT(EPOCH FROM (lease_until - clock_timestamp())) * 1000)::float8 AS "leaseLeftMs" FROM worker_leader WHERE id = 1`;
