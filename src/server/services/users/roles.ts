// Roles are ordered: each one can do everything the ones before it can.
import { z } from "zod";

export const ROLES = ["viewer", "operator", "admin"] as const;
export type Role = (typeof ROLES)[number];
export const RoleSchema = z.enum(ROLES);

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** True when `role` is `required` or higher. */
export function hasRole(role: Role, required: Role): boolean {
  return RANK[role] >= RANK[required];
}
