// What our JWT and session carry beyond next-auth's defaults.
import type { DefaultSession } from "next-auth";
import type { Role } from "../services/users/roles";

declare module "next-auth" {
  interface User {
    id: string;
    role: Role;
    /** app_user.session_version at sign-in; the session counts only while they still match. */
    sessionVersion: number;
  }
  interface Session extends DefaultSession {
    user: { id: string; email: string; name: string | null; role: Role };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    role?: Role;
    /** Session version (see app_user.session_version). */
    sv?: number;
  }
}
