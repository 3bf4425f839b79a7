-- The day-partition functions of shadow_decision (0011, 0012) are SECURITY DEFINER, owned by the
-- owner role. A new function is executable by PUBLIC, i.e. by every login of the cluster; these
-- two are for the worker's retention only. The migrator grants EXECUTE to the runtime role
-- (src/server/db/roles.ts, RUNTIME_FUNCTIONS) after every run.
REVOKE ALL ON FUNCTION "shadow_decision_partition_create"(DATE) FROM PUBLIC;
REVOKE ALL ON FUNCTION "shadow_decision_partition_drop"(DATE) FROM PUBLIC;
