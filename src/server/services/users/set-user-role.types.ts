import { z } from "zod";
import { RoleSchema } from "./roles";
import { EmailSchema } from "./user-summary";

export const SetUserRoleInput = z.object({ email: EmailSchema, role: RoleSchema });
export type SetUserRoleInput = z.input<typeof SetUserRoleInput>;
