// next-auth's endpoints (/api/auth/signin, /callback/credentials, /session, /signout, /csrf).
// Options are built per request because the secret may come from the database (auth-secret.ts).
import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { buildAuthOptions } from "../../../../server/auth/auth-options";
import { authSecret } from "../../../../server/auth/auth-secret";

export const dynamic = "force-dynamic";

async function handler(req: NextRequest, ctx: { params: Promise<{ nextauth: string[] }> }): Promise<Response> {
  // The (req, ctx, options) form is next-auth's App Router handler (it detects ctx.params).
  const res: unknown = await NextAuth(req, ctx, buildAuthOptions(await authSecret()));
  return res as Response;
}

export { handler as GET, handler as POST };
