// Domain errors with a code; one mapping (toTRPCCode) turns codes into API statuses.
export type AppErrorCode =
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "PRECONDITION_FAILED"
  | "TOO_MANY_REQUESTS"
  | "UNAVAILABLE";

export interface AppErrorOptions {
  /** TOO_MANY_REQUESTS: seconds until the caller may try again. */
  retryAfterS?: number;
  cause?: unknown;
}

export class AppError extends Error {
  override name = "AppError";
  readonly retryAfterS: number | undefined;
  constructor(
    readonly code: AppErrorCode,
    message: string,
    opts: AppErrorOptions = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.retryAfterS = opts.retryAfterS;
  }
}

const TRPC_CODES = {
  BAD_REQUEST: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  PRECONDITION_FAILED: "PRECONDITION_FAILED",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
  UNAVAILABLE: "SERVICE_UNAVAILABLE",
} as const satisfies Record<AppErrorCode, string>;

export function toTRPCCode(code: AppErrorCode): (typeof TRPC_CODES)[AppErrorCode] {
  return TRPC_CODES[code];
}

/** Parses service input; a failure is a BAD_REQUEST naming each bad field and what is wrong. */
export function parseInput<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, raw: unknown): T {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => `${i.path.map(String).join(".") || "input"}: ${i.message}`);
  throw new AppError("BAD_REQUEST", `Invalid input (${problems.join("; ")}).`);
}
