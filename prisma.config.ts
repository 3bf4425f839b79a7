// Prisma CLI configuration. Only `prisma generate` runs here; migrations are applied by
// `npm run db:migrate` (src/server/db/migrate.ts).
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
