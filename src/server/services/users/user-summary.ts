// What the API, CLI and session may see of a user: never the password hash.
import { z } from "zod";
import { RoleSchema } from "./roles";

/** Trimmed and lower-cased; "admin@localhost" is valid (no TLD needed on a private network). */
export const EmailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(3, { error: "email is required" })
  .max(254, { error: "email must be at most 254 characters" })
  .regex(/^[^\s@]+@[^\s@]+$/, { error: "email must look like name@host" });

export const UserSummarySchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  role: RoleSchema,
  disabled: z.boolean(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type UserSummary = z.infer<typeof UserSummarySchema>;

/** Prisma `select` matching UserSummary, so no query returns more by accident. */
export const userSummarySelect = {
  id: true,
  email: true,
  name: true,
  role: true,
  disabled: true,
  createdAt: true,
  updatedAt: true,
} as const;

/** One advisory lock for "who is admin" changes (bootstrap, role changes), across processes. */
export const USERS_LOCK_KEY = 7_311_020_005;
