import { z } from "zod";
import { RoleSchema } from "./roles";
import { EmailSchema } from "./user-summary";

export const AddUserInput = z.object({
  email: EmailSchema,
  name: z.string().trim().max(200).optional(),
  role: RoleSchema,
  password: z.string(),
});
export type AddUserInput = z.input<typeof AddUserInput>;
