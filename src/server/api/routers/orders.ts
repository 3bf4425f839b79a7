import { getOrdersOverTime, OrdersOverTimeInput, OrdersOverTimeSchema } from "../../services/orders/get-orders-over-time";
import { listOrderAttempts, OrderFilterInput, OrderPageSchema } from "../../services/orders/list-order-attempts";
import { createTRPCRouter, protectedProcedure } from "../trpc";

export const ordersRouter = createTRPCRouter({
  list: protectedProcedure.input(OrderFilterInput).output(OrderPageSchema).query(({ ctx, input }) => listOrderAttempts(ctx.db, input)),
  overTime: protectedProcedure.input(OrdersOverTimeInput).output(OrdersOverTimeSchema).query(({ ctx, input }) => getOrdersOverTime(ctx.db, input)),
});
