// What our JWT and session carry beyond next-auth's defaults.
import type { DefaultSession } from "next-auth";
import type { Role } from "./roles";

declare module "next-auth" {
  interface User {
    id: string;
    role: Role;
  }
  interface Session extends DefaultSession {
    user: { id: string; email: string; name: string | null; role: Role };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    role?: Role;
  }
}
