import { z } from "zod";
import { EmailSchema } from "./user-summary";

/** Without a password, one is generated and returned once. */
export const ResetUserPasswordInput = z.object({ email: EmailSchema, password: z.string().optional() });
export type ResetUserPasswordInput = z.input<typeof ResetUserPasswordInput>;
