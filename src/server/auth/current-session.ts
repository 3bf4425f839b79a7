// For server components and route handlers: the session of the current request, or null.
import { cookies, headers } from "next/headers";
import { db } from "../db/client";
import { sessionFromRequest, type Session } from "./session";

export async function currentSession(): Promise<Session | null> {
  return sessionFromRequest(db(), { headers: await headers(), cookies: await cookies() });
}
