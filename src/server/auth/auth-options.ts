// next-auth (v4): email + password against app_user, JWT sessions carrying id, email and role.
// The secret is resolved per request (auth-secret.ts), so these options are built by a function.
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { db } from "../db/client";
import { AppError } from "../errors";
import { verifyLogin } from "../services/users/verify-login";
import { secureCookiesEnabled } from "./auth-secret";
import { clientIp } from "./client-ip";
import { sameOriginPath } from "./public-paths";
import { RoleSchema } from "../services/users/roles";

/** Sessions last a working day; roles and "disabled" are re-read from the database per request. */
export const SESSION_MAX_AGE_S = 12 * 60 * 60;

export function buildAuthOptions(secret: string): NextAuthOptions {
  return {
    secret,
    useSecureCookies: secureCookiesEnabled(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
    pages: { signIn: "/signin", error: "/signin" },
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "Email and password",
        credentials: {
          email: { label: "Email", type: "email" },
          password: { label: "Password", type: "password" },
        },
        async authorize(credentials, req) {
          try {
            const result = await verifyLogin(db(), {
              email: credentials?.email ?? "",
              password: credentials?.password ?? "",
              ip: clientIp(req.headers),
            });
            if (result.ok) return result.user;
            if (result.reason === "disabled") throw new Error("This account is disabled; ask an admin to enable it.");
            return null; // next-auth reports CredentialsSignin
          } catch (err) {
            // next-auth passes a thrown message to the sign-in page as ?error=...
            if (err instanceof AppError) throw new Error(err.message);
            throw err;
          }
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.sub = user.id;
          token.email = user.email;
          token.name = user.name;
          token.role = user.role;
          token.sv = user.sessionVersion;
        }
        return token;
      },
      // After sign-in and sign-out: only somewhere on this app (public-paths.ts).
      redirect({ url, baseUrl }) {
        return new URL(sameOriginPath(url, baseUrl), baseUrl).toString();
      },
      session({ session, token }) {
        const role = RoleSchema.safeParse(token.role);
        session.user = {
          id: token.sub ?? "",
          email: token.email ?? "",
          name: token.name ?? null,
          role: role.success ? role.data : "viewer",
        };
        return session;
      },
    },
  };
}
