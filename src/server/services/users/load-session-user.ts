import type { Db } from "../../db/client";
import type { Role } from "./roles";

export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  /** The generated first-admin password is still in use: the session may only change it. */
  mustChangePassword?: boolean;
}

/**
 * The signed-in user as the database knows them *now*: a role change or a disabled account
 * takes effect on the next mutation (and on reads within a second: src/server/auth/session-read-cache.ts),
 * not when the session cookie expires. Null when the user is gone or disabled, or when the
 * cookie was issued under another session version (password changed or reset, role changed,
 * disabled, or signed out everywhere since): that session no longer counts.
 */
export async function loadSessionUser(db: Db, userId: string, sessionVersion: number | undefined): Promise<SessionUser | null> {
  if (!/^[0-9a-f-]{36}$/i.test(userId)) return null;
  if (sessionVersion === undefined || !Number.isInteger(sessionVersion)) return null;
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, name: true, role: true, disabled: true, sessionVersion: true, mustChangePassword: true },
  });
  if (!user || user.disabled || user.sessionVersion !== sessionVersion) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role, mustChangePassword: user.mustChangePassword };
}
