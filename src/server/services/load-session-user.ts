import type { Db } from "../db/client";
import type { Role } from "../auth/roles";

export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
  role: Role;
}

/**
 * The signed-in user as the database knows them *now*: a role change or a disabled account
 * takes effect on the next mutation (and on reads within a second: src/server/auth/session-read-cache.ts),
 * not when the session cookie expires. Null when the user
 * is gone or disabled (the session no longer counts).
 */
export async function loadSessionUser(db: Db, userId: string): Promise<SessionUser | null> {
  if (!/^[0-9a-f-]{36}$/i.test(userId)) return null;
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, name: true, role: true, disabled: true },
  });
  if (!user || user.disabled) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}
