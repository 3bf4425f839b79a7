import type { Metadata, Viewport } from "next";
import { cookies } from "next/headers";
import type { ReactNode } from "react";
import { currentSession } from "../server/auth/current-session";
import { hasRole } from "../server/services/users/roles";
import { ApprovalBadge } from "./_components/approval-badge";
import { DEFAULT_TIME_ZONE, TIME_ZONE_COOKIE, validTimeZone } from "./_components/format";
import { RollbackAction } from "./_components/rollback-action";
import { TimeZoneProvider } from "./_components/time-zone";
import { TRPCReactProvider } from "../trpc/react";
import { UserMenu } from "./_components/user-menu";
import { WorkerStatusBadge } from "./_components/worker-status";
import "./globals.css";

export const metadata: Metadata = { title: "Exit Brain control plane" };
export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Signed out (the sign-in page), the bar shows only the name: everything else needs a session.
  const session = await currentSession();
  const zone = validTimeZone((await cookies()).get(TIME_ZONE_COOKIE)?.value) ?? DEFAULT_TIME_ZONE;
  return (
    <html lang="en">
      <body>
        <TRPCReactProvider>
          <TimeZoneProvider zone={zone}>
            <header className="topbar">
              <strong className="brand">Exit Brain</strong>
              {session ? (
                <>
                  <nav className="nav" aria-label="Pages">
                    <a href="/">Status</a>
                    <a href="/controls">Controls</a>
                    <a href="/shadow">Shadow</a>
                    <a href="/orders">Orders</a>
                    <a href="/logs">Logs</a>
                    <a href="/audit">Audit</a>
                    {hasRole(session.user.role, "admin") ? <a href="/users">Users</a> : null}
                  </nav>
                  <ApprovalBadge />
                  {/* Viewers never see it; the server refuses them anyway. */}
                  {hasRole(session.user.role, "operator") ? <RollbackAction target="kill-switch" compact /> : null}
                  <WorkerStatusBadge />
                  <UserMenu email={session.user.email} role={session.user.role} />
                </>
              ) : null}
            </header>
            <main className="main">{children}</main>
          </TimeZoneProvider>
        </TRPCReactProvider>
      </body>
    </html>
  );
}
